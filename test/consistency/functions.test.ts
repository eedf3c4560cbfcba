import { describe, expect, it } from 'vitest';
import { FUNCTION_DEFINITIONS } from '../../functions/definitions.js';
import { SETTINGS } from '../../shared/config.js';
import { bicepOutputRoutes, bicepStringList, loopedResourceProperties, readInfra } from './bicep-text.js';
import { functionProblems } from './checks.js';

// functions/definitions.ts (what the host registers) against infra/ and SETTINGS.
const infra = readInfra();
const queueLoop = loopedResourceProperties(
  infra.files['modules/servicebus.bicep'] ?? '',
  'Microsoft.ServiceBus/namespaces/queues',
  'queueNames',
);
const sessionQueues =
  queueLoop?.get('requiresSession') === 'true' ? bicepStringList(infra.main, 'queueNames') : [];

describe('functions/definitions.ts against infra/', () => {
  it('finds no problem', () => {
    expect(
      functionProblems({
        definitions: FUNCTION_DEFINITIONS,
        sessionQueues,
        settingNames: SETTINGS.map((setting) => setting.name),
        webhookRoutes: bicepOutputRoutes(infra.main),
      }),
    ).toEqual([]);
  });

  it('outputs the three webhook URLs', () => {
    expect(bicepOutputRoutes(infra.main).sort()).toEqual([
      'crm/events',
      'graph/lifecycle',
      'graph/notifications',
    ]);
  });
});
