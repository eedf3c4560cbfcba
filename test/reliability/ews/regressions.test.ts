import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { type EwsAction, emptyEwsStats, runEwsSequence, startEwsModelEmulator } from './ews-model.js';

/** Sequences the EWS model found, kept as they were shrunk (each failed before its fix). */

let emulator: RunningEwsEmulator;
beforeAll(async () => {
  emulator = await startEwsModelEmulator(inject('tlsDir'));
});
afterAll(async () => {
  await emulator?.stop();
});

describe('EWS model regressions', () => {
  it('a poll round cut after a checkpoint keeps the SyncState of the folder it finished before (its delete is seen later)', async () => {
    // Contacts (read first) lists a new contact; Privat's first page is a checkpoint that links
    // it. Before the fix only Privat's cursor was stored there, so the cut round left Contacts at
    // its connect-time SyncState, from which a later delete of that contact is never reported
    // (the state never knew it): the link stayed on a contact deleted in Outlook.
    const actions: EwsAction[] = [
      { kind: 'outlookCreate', name: 0, emails: [], phone: null, inPrivat: true },
      { kind: 'outlookCreate', name: 1, emails: [], phone: null, inPrivat: true },
      { kind: 'outlookCreate', name: 2, emails: [], phone: null, inPrivat: true },
      { kind: 'poll' },
      { kind: 'outlookCreate', name: 3, emails: [], phone: null, inPrivat: true },
      { kind: 'ewsFault', fault: 'cutPoll', afterPages: 1 },
      { kind: 'outlookCreate', name: 0, emails: [], phone: null, inPrivat: false },
      { kind: 'memory', action: { kind: 'process', target: 0, duplicate: false } },
      { kind: 'outlookDelete', target: 0, hard: true },
      { kind: 'outlookDelete', target: 1895295403, hard: true },
    ] as EwsAction[];
    const stats = emptyEwsStats();
    await runEwsSequence(emulator, 'unlink', actions, 0, stats);
    expect(stats.violations).toEqual({});
  }, 60_000);
});
