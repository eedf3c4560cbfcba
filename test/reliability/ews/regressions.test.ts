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

  // Soak seed 1659647711 (path 3:4:1:…), shrunk by hand. The sync copies a contact to Outlook with
  // CreateItem after the folder's stored SyncState; the user deletes or moves it before a poll
  // lists it. Exchange then reports neither its Create nor its Delete (a SyncState reports
  // deletes only of items it was given, MS-OXCFXICS; the emulator's conformance test), so before
  // the fix the link outlived the contact, and a moved copy became a second CRM contact.
  const process_ = { kind: 'memory', action: { kind: 'process', target: 0, duplicate: false } } as const;

  it('a contact the sync created in Outlook and the user deleted before any poll listed it loses its link', async () => {
    const actions: EwsAction[] = [
      {
        kind: 'memory',
        action: { kind: 'crmCreate', name: 0, tags: 1, emails: [], phones: [], notes: null },
      },
      process_, // the CRM event, fanned out
      process_, // crmChanged: CreateItem in Contacts
      process_,
      { kind: 'outlookDelete', target: 0, hard: true },
    ];
    const stats = emptyEwsStats();
    await runEwsSequence(emulator, 'unlink', actions, 0, stats);
    expect(stats.violations).toEqual({});
  }, 60_000);

  it('a contact the sync re-created in Outlook (edit beats delete) and the user moved before any poll listed it stays one pair', async () => {
    const actions: EwsAction[] = [
      { kind: 'outlookCreate', name: 0, emails: [], phone: 0, inPrivat: false },
      { kind: 'poll' },
      process_, // the CRM contact made from it
      { kind: 'outlookDelete', target: 0, hard: false },
      { kind: 'memory', action: { kind: 'crmEdit', target: 0, patch: { phones: [] } } },
      process_,
      process_,
      process_,
      { kind: 'poll' },
      process_, // the delete meets the newer CRM edit: the contact is created in Outlook again
      { kind: 'outlookMove', target: 0 }, // to Privat, a new id; Contacts never listed the old one
    ];
    const stats = emptyEwsStats();
    await runEwsSequence(emulator, 'unlink', actions, 0, stats);
    expect(stats.violations).toEqual({});
  }, 60_000);

  it('a contact linked by a round that crashed before storing its SyncState, deleted before the retry, loses its link', async () => {
    // Soak seed 1886253730 (path 18:4:…), shrunk by hand: the round lists a new Outlook contact
    // and makes its CRM contact and link; the mirror write then fails after it was written (a
    // crash), so the round's SyncState is never stored. The user deletes the contact; the retry
    // reads from the older state, which never listed it: no Create, no Delete, and before the fix
    // the link stayed.
    const actions: EwsAction[] = [
      { kind: 'outlookCreate', name: 0, emails: [], phone: null, inPrivat: false },
      { kind: 'memory', action: { kind: 'fault', fault: 'crash', side: 'mirror', method: 'create' } },
      { kind: 'poll' },
      process_,
      { kind: 'outlookDelete', target: 0, hard: false },
    ];
    const stats = emptyEwsStats();
    await runEwsSequence(emulator, 'unlink', actions, 0, stats);
    expect(stats.violations).toEqual({});
  }, 60_000);

  it('a CRM push Exchange refused (ErrorServerBusy) while settling is redone by the timers, as in production', async () => {
    // Soak seed 609967446 (path 6), shrunk by hand: the first busy CreateItem refuses the CRM
    // event's push, the second one the settling reconcile's; the poll after it got through and
    // ended the back-off. Not an adapter bug: the model's settle had no timer to redo a refused
    // run (the polling timer after the back-off, or the nightly full reconcile), so the tagged
    // CRM contact was left without its Outlook copy.
    const busy = {
      kind: 'ewsFault',
      fault: 'serverBusy',
      backOffMs: 30_000,
      operation: 'CreateItem',
    } as const;
    const actions: EwsAction[] = [
      busy,
      busy,
      {
        kind: 'memory',
        action: { kind: 'crmCreate', name: 0, tags: 1, emails: [], phones: [], notes: null },
      },
    ];
    const stats = emptyEwsStats();
    await runEwsSequence(emulator, 'unlink', actions, 0, stats);
    expect(stats.violations).toEqual({});
  }, 60_000);
});
