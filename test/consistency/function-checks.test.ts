import { describe, expect, it } from 'vitest';
import { type FunctionDefinitionLike, functionProblems } from './checks.js';

// The function checks on a small fixture, so it is visible that they catch each kind of drift.
const fixture: FunctionDefinitionLike[] = [
  { name: 'hook', trigger: 'http', methods: ['POST'], route: 'graph/notifications' },
  { name: 'worker', trigger: 'queue', queue: 'work' },
  { name: 'sweep', trigger: 'timer', scheduleSetting: 'SWEEP_SCHEDULE' },
];
const consistent = {
  definitions: fixture,
  sessionQueues: ['work'],
  settingNames: ['SWEEP_SCHEDULE'],
  webhookRoutes: ['graph/notifications'],
};

describe('functionProblems', () => {
  it('accepts definitions that match infra/ and SETTINGS', () => {
    expect(functionProblems(consistent)).toEqual([]);
  });

  it('reports a queue function whose queue infra/ does not provision with sessions', () => {
    const definitions = [...fixture, { name: 'newWorker', trigger: 'queue', queue: 'new-work' }];
    expect(functionProblems({ ...consistent, definitions })).toEqual([
      'newWorker: queue "new-work" is not a session-enabled queue in infra/',
    ]);
  });

  it('reports a timer whose schedule setting is not in SETTINGS', () => {
    const definitions = [...fixture, { name: 'nightly', trigger: 'timer', scheduleSetting: 'NIGHTLY' }];
    expect(functionProblems({ ...consistent, definitions })).toEqual([
      'nightly: schedule setting "NIGHTLY" is not in SETTINGS',
    ]);
  });

  it('reports a provisioned queue nothing consumes and a webhook URL nothing serves', () => {
    expect(
      functionProblems({ ...consistent, sessionQueues: ['work', 'orphan'], webhookRoutes: ['crm/events'] }),
    ).toEqual([
      'orphan: provisioned, but no queue function consumes it',
      'crm/events: infra outputs this webhook URL but no function serves POST crm/events',
    ]);
  });
});
