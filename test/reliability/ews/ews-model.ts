import fc from 'fast-check';
import type { ContactInput } from '../../../local/emulators/ews/admin.js';
import { type RunningEwsEmulator, startEwsEmulator } from '../../../local/emulators/ews/index.js';
import type { OnPremisesConnection } from '../../../shared/accounts/on-premises.js';
import { type EwsExchangeContacts, ewsContactsFor } from '../../../shared/adapters/ews/exchange-contacts.js';
import {
  crmContent,
  EXCHANGE_LIMITS,
  type ExchangeContact,
  exchangeFieldsOf,
  projectToExchange,
} from '../../../shared/contact/index.js';
import { SyncError } from '../../../shared/errors.js';
import type { DeltaPage } from '../../../shared/ports.js';
import type { ContactLink } from '../../../shared/sync/link.js';
import { enqueuePolls, enqueueReconcile } from '../../../shared/sync/timer-jobs.js';
import { CRM_WRITES } from '../../fakes/crm-contacts.js';
import { ModelViolation } from '../../unit/sync/support/memory-model.js';
import {
  type Action,
  actionArb,
  apply,
  emptyModel,
  type FaultKind,
  type ModelState,
} from '../../unit/sync/support/model-actions.js';
import { World } from '../../unit/sync/support/world.js';

/**
 * The in-memory engine model (test/unit/sync/support/memory-model.ts) with the engine's
 * Exchange side being the real EWS adapter (`ewsContactsFor`, as functions/runtime.ts wires an
 * on-premises account) against the in-process EWS emulator (local/emulators/ews). CRM, mirror,
 * queues and lease stay the fakes; the CRM actions, the faults on the CRM, mirror and account
 * rows, the reordered and duplicated processing and the frozen worker are the memory model's
 * own (its `actionArb` and `apply`, imported). The Outlook user's actions go through the
 * emulator's admin API: create, edit (numbers such as `4711` and one with an extension), move
 * between the two contact folders (EWS ids change on a move), delete into Deleted Items or for
 * good. EWS faults the emulator offers: ErrorServerBusy with BackOffMilliseconds,
 * ErrorInvalidSyncStateData, and a poll round cut off after a page (the next one resumes from
 * that page's SyncState). The account is polled (EWS has no notifications): a `poll` action
 * is what the polling timer would enqueue. After draining, the memory model's invariants must
 * hold and one more poll and reconcile must write nothing on either side.
 *
 * One account (one mailbox and login on the emulator); the memory model covers several.
 */

export const MAILBOX = 'anna@contoso.example';
const LOGIN = { user: 'anna', domain: 'CONTOSO', password: 'S3cret-Anna!' };
const ACCOUNT_ID = 'acc-1';
/** Small pages and read batches, so a round has several pages to be cut off between. */
const PAGE_SIZE = 3;
const READ_BATCH = 2;

const NAMES = ['Berg', 'Stein', 'Meier', 'Schulz'];
const EMAILS = ['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de', 'e@x.de'];
/** As Outlook users type them: canonical, local, a bare extension-like `4711`, one with an extension. */
const OUTLOOK_PHONES = ['+49301234567', '+4940999888', '4711', '030 1234567 ext. 12', '(030) 555-0199'];
const PHONE_KEYS = ['BusinessPhone', 'BusinessPhone2', 'MobilePhone', 'HomePhone'];
const EMAIL_KEYS = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'];
/** Operations that write to the mailbox (EWS Operations reference). */
const EWS_WRITES = new Set(['CreateItem', 'UpdateItem', 'DeleteItem', 'MoveItem', 'CopyItem']);

export type EwsFaultKind = 'serverBusy' | 'invalidSyncState' | 'cutPoll';

export type EwsAction =
  | { kind: 'memory'; action: Action }
  | { kind: 'outlookCreate'; name: number; emails: number[]; phone: number | null; inPrivat: boolean }
  | { kind: 'outlookEdit'; target: number; edit: ContactInput }
  | { kind: 'outlookMove'; target: number }
  | { kind: 'outlookDelete'; target: number; hard: boolean }
  | { kind: 'ewsFault'; fault: 'serverBusy'; backOffMs: number; operation: string }
  | { kind: 'ewsFault'; fault: 'invalidSyncState' }
  | { kind: 'ewsFault'; fault: 'cutPoll'; afterPages: number }
  | { kind: 'poll' };

/** The memory model's actions that do not touch its fake Exchange (this model's Exchange is EWS). */
const memoryActionArb: fc.Arbitrary<EwsAction> = actionArb
  .filter((a) => !a.kind.startsWith('ex') && !(a.kind === 'fault' && a.side === 'exchange'))
  .map((action) => ({ kind: 'memory' as const, action }));

const emailsEdit = fc.array(fc.nat(), { maxLength: 3 }).map((ns) => {
  const emails: Record<string, string> = {};
  EMAIL_KEYS.forEach((key, i) => {
    const n = ns[i];
    emails[key] = n === undefined ? '' : (EMAILS[n % EMAILS.length] ?? '');
  });
  return { emails };
});
const phonesEdit = fc
  .tuple(fc.constantFrom(...PHONE_KEYS), fc.option(fc.constantFrom(...OUTLOOK_PHONES), { nil: '' }))
  .map(([key, number]) => ({ phones: { [key]: number } }));

export const ewsActionArb: fc.Arbitrary<EwsAction> = fc.oneof(
  { arbitrary: memoryActionArb, weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('outlookCreate' as const),
      name: fc.nat(),
      emails: fc.array(fc.nat(), { maxLength: 3 }),
      phone: fc.option(fc.nat(), { nil: null }),
      inPrivat: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('outlookEdit' as const),
      target: fc.nat(),
      edit: fc.oneof(
        fc.constantFrom(...NAMES).map((Surname) => ({ fields: { Surname } })),
        fc.constantFrom('Maklerin', 'Notar', '').map((JobTitle) => ({ fields: { JobTitle } })),
        emailsEdit,
        phonesEdit,
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('outlookMove' as const), target: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('outlookDelete' as const),
      target: fc.nat(),
      hard: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.oneof(
      fc.record({
        kind: fc.constant('ewsFault' as const),
        fault: fc.constant('serverBusy' as const),
        backOffMs: fc.integer({ min: 1000, max: 120_000 }),
        operation: fc.constantFrom('SyncFolderItems', 'GetItem', 'CreateItem', 'UpdateItem', 'FindFolder'),
      }),
      fc.record({ kind: fc.constant('ewsFault' as const), fault: fc.constant('invalidSyncState' as const) }),
      fc.record({
        kind: fc.constant('ewsFault' as const),
        fault: fc.constant('cutPoll' as const),
        afterPages: fc.integer({ min: 1, max: 3 }),
      }),
    ),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'poll' as const }), weight: 2 },
);

export interface EwsModelStats {
  sequences: number;
  actions: number;
  faults: Record<FaultKind | EwsFaultKind, number>;
  violations: Record<string, number>;
}

export function emptyEwsStats(): EwsModelStats {
  return {
    sequences: 0,
    actions: 0,
    faults: {
      crashAfterWrite: 0,
      crashBeforeMirrorWrite: 0,
      transient: 0,
      pausedWorker: 0,
      duplicateDelivery: 0,
      serverBusy: 0,
      invalidSyncState: 0,
      cutPoll: 0,
    },
    violations: {},
  };
}

export async function startEwsModelEmulator(tlsDir: string): Promise<RunningEwsEmulator> {
  return startEwsEmulator({ tlsDir, port: 0 });
}

export function ewsModelProperty(emulator: RunningEwsEmulator, stats: EwsModelStats, maxActions = 25) {
  return fc.asyncProperty(
    fc.constantFrom('unlink' as const, 'delete' as const),
    fc.array(ewsActionArb, { minLength: 1, maxLength: maxActions, size: 'max' }),
    fc.integer(),
    async (deleteAction, actions, seed) => runEwsSequence(emulator, deleteAction, actions, seed, stats),
  );
}

/** One sequence on a fresh mailbox: the world, its EWS adapter, the actions, settle, invariants. */
export async function runEwsSequence(
  emulator: RunningEwsEmulator,
  deleteAction: 'unlink' | 'delete',
  actions: EwsAction[],
  seed: number,
  stats: EwsModelStats,
  onWorld?: (world: World) => void,
): Promise<void> {
  const h = await harnessOf(emulator, deleteAction);
  onWorld?.(h.world);
  const model = emptyModel(1);
  const ewsFaults = { serverBusy: 0, invalidSyncState: 0, cutPoll: 0 };
  try {
    for (const action of actions) await applyEws(h, action, model, ewsFaults);
    await settle(h, seed);
    dropUnmetFaults(h, ewsFaults);
    await checkInvariants(h, model);
    // Settled means settled: one more poll and reconcile writes nothing on either side.
    h.world.resetCounts();
    const before = ewsWrites(emulator);
    h.world.inbox.push(h.world.exchangeChanged(ACCOUNT_ID), h.world.reconcile(ACCOUNT_ID));
    await h.world.drain();
    const writes = { exchange: ewsWrites(emulator) - before, crm: h.world.crm.hooks.total(CRM_WRITES) };
    if (writes.exchange + writes.crm > 0)
      throw new ModelViolation('not settled', `one more poll and reconcile wrote ${JSON.stringify(writes)}`);
  } catch (error) {
    const kind = error instanceof ModelViolation ? error.invariant : 'error';
    stats.violations[kind] = (stats.violations[kind] ?? 0) + 1;
    throw error;
  } finally {
    h.ews.close();
    stats.sequences++;
    stats.actions += actions.length;
    for (const [kind, n] of Object.entries({ ...model.faults, ...ewsFaults }))
      stats.faults[kind as FaultKind | EwsFaultKind] += n;
  }
}

interface Harness {
  emulator: RunningEwsEmulator;
  world: World;
  ews: EwsExchangeContacts;
  contactsFolder: string;
  privatFolder: string;
  /** Cut the next delta round after this many pages (a function run that ended mid-round). */
  cutAfter: number | null;
}

async function harnessOf(emulator: RunningEwsEmulator, deleteAction: 'unlink' | 'delete'): Promise<Harness> {
  emulator.admin.reset();
  emulator.admin.createMailbox({ smtp: MAILBOX, ...LOGIN });
  const privatFolder = emulator.admin.addFolder(MAILBOX, 'Privat');
  const world = new World();
  const connection: OnPremisesConnection = {
    ewsUrl: emulator.ewsUrl,
    username: `${LOGIN.domain}\\${LOGIN.user}`,
    auth: 'ntlm',
    caPem: emulator.caPem,
    secretName: `ews-${ACCOUNT_ID}`,
  };
  await world.secrets.set(connection.secretName, LOGIN.password);
  const ews = ewsContactsFor(connection, world.secrets, { pageSize: PAGE_SIZE, readBatch: READ_BATCH });
  const h: Harness = {
    emulator,
    world,
    ews,
    contactsFolder: emulator.admin.folderId(MAILBOX, 'contacts'),
    privatFolder,
    cutAfter: null,
  };
  // The cut-off round: the run ends after a page; the pages before it are kept (their SyncState
  // stored), so the next round goes on from there (engine-resume-over-ews.test.ts).
  const delta = ews.delta.bind(ews);
  ews.delta = async function* (mailbox, folderId, cursor): AsyncGenerator<DeltaPage> {
    let n = 0;
    for await (const page of delta(mailbox, folderId, cursor)) {
      if (h.cutAfter !== null && n >= h.cutAfter) {
        h.cutAfter = null;
        throw new SyncError('transient', 'Timeout', 'the function run ended');
      }
      n++;
      yield page;
    }
  } as typeof ews.delta;
  world.deps.exchange = ews;
  await world.addAccount({
    id: ACCOUNT_ID,
    email: MAILBOX,
    userId: MAILBOX,
    provider: 'onPremises',
    onPremises: connection,
    exchangeDeleteAction: deleteAction,
  });
  await world.run(world.task('connect', ACCOUNT_ID));
  await world.drain();
  return h;
}

function ewsWrites(emulator: RunningEwsEmulator): number {
  return emulator.admin.log.filter((r) => r.operation !== null && EWS_WRITES.has(r.operation)).length;
}

/** The contacts the user sees: in Contacts or Privat (not Deleted Items), oldest first. */
function visible(h: Harness) {
  return h.emulator.admin
    .contacts(MAILBOX)
    .filter((i) => i.folderId === h.contactsFolder || i.folderId === h.privatFolder);
}

const pick = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

async function applyEws(
  h: Harness,
  action: EwsAction,
  model: ModelState,
  faults: Record<EwsFaultKind, number>,
): Promise<void> {
  const admin = h.emulator.admin;
  switch (action.kind) {
    case 'memory':
      return apply(h.world, action.action, model);
    case 'outlookCreate': {
      const emails: Record<string, string> = {};
      action.emails.forEach((n, i) => {
        emails[EMAIL_KEYS[i] ?? 'EmailAddress3'] = EMAILS[n % EMAILS.length] ?? '';
      });
      const surname = pick(NAMES, action.name) ?? 'Berg';
      admin.outlookCreate(
        MAILBOX,
        {
          fields: { GivenName: 'Outlook', Surname: surname, DisplayName: `Outlook ${surname}` },
          emails,
          phones: action.phone === null ? {} : { BusinessPhone: pick(OUTLOOK_PHONES, action.phone) ?? '' },
        },
        action.inPrivat ? h.privatFolder : h.contactsFolder,
      );
      return;
    }
    case 'outlookEdit': {
      const target = pick(visible(h), action.target);
      if (target) admin.outlookEdit(MAILBOX, target.id, action.edit);
      return;
    }
    case 'outlookMove': {
      const target = pick(visible(h), action.target);
      if (!target) return;
      const to = target.folderId === h.contactsFolder ? h.privatFolder : h.contactsFolder;
      const moved = admin.outlookMove(MAILBOX, target.id, to);
      model.lineage.set(moved.id, target.id);
      // EWS ids change on a move (the old folder reports a Delete, the new one a Create). A
      // contact without our marker (made in Outlook, not linked yet by a marker) cannot be told
      // from a delete and a create: the model allows what a delete may do, as the memory model
      // does without immutable ids.
      if (Object.keys(moved.data.extended).length === 0) await outlookDeleteAllowed(h, model, target.id);
      return;
    }
    case 'outlookDelete': {
      const target = pick(visible(h), action.target);
      if (!target) return;
      await outlookDeleteAllowed(h, model, target.id);
      admin.outlookDelete(MAILBOX, target.id, action.hard);
      return;
    }
    case 'ewsFault': {
      faults[action.fault]++;
      if (action.fault === 'serverBusy')
        admin.addFault({ kind: 'serverBusy', backOffMs: action.backOffMs, operation: action.operation });
      else if (action.fault === 'invalidSyncState')
        admin.addFault({ kind: 'invalidSyncState', operation: 'SyncFolderItems' });
      else h.cutAfter = action.afterPages;
      return;
    }
    case 'poll':
      h.world.inbox.push(h.world.exchangeChanged(ACCOUNT_ID));
      return;
  }
}

/**
 * What an Outlook delete may do in the CRM (the memory model's rule): the linked CRM contact
 * may be untagged, or deleted when that is the account's choice; also a CRM contact created
 * from this Outlook contact whose link a crash left unrecorded (pending.ts).
 */
async function outlookDeleteAllowed(h: Harness, model: ModelState, exchangeId: string) {
  const account = await h.world.account(ACCOUNT_ID);
  const mode = account.exchangeDeleteAction;
  const allow = (crmId: string) => {
    model.mayUntag.add(`${crmId}|${ACCOUNT_ID}`);
    if (mode === 'delete') model.mayVanish.add(crmId);
  };
  for (let id: string | undefined = exchangeId; id !== undefined; id = model.lineage.get(id)) {
    for (const pending of account.pendingCreates.filter((p) => p.side === 'crm' && p.sourceId === id))
      for (const crmId of h.world.crm.createdWithKey(`${ACCOUNT_ID}:${pending.linkId}`)) allow(crmId);
    const link = await h.world.mirror.getByExchangeId(ACCOUNT_ID, id);
    if (link) allow(link.value.crmId);
  }
}

/** A small deterministic PRNG, so the drain order is part of the counterexample's seed. */
function randomFrom(seed: number): (size: number) => number {
  let state = seed >>> 0;
  return (size) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % size) | 0;
  };
}

async function settle(h: Harness, seed: number) {
  const { world } = h;
  const from = h.emulator.admin.log.length;
  const failures = [...(await world.drain(randomFrom(seed))).failures];
  // The polls and the reconcile, through the queue (a failure is redelivered). Two polls: the
  // second one reads the echoes of what the first round and the reconcile wrote.
  for (const message of [world.exchangeChanged(ACCOUNT_ID), world.reconcile(ACCOUNT_ID)]) {
    world.inbox.push(message);
    failures.push(...(await world.drain()).failures);
  }
  world.inbox.push(world.exchangeChanged(ACCOUNT_ID));
  failures.push(...(await world.drain()).failures);
  // Work Exchange refused while settling (ErrorServerBusy: the run is not retried, the
  // account's run moves to the end of the back-off, worker.ts) is the timers' to redo.
  for (let n = 0, seen = from; n < 3 && refusedSince(h, seen); n++) {
    seen = h.emulator.admin.log.length;
    await timersAfterRefusal(world);
    world.inbox.push(world.exchangeChanged(ACCOUNT_ID));
    failures.push(...(await world.drain()).failures);
  }
  if (failures.length > 0) throw new ModelViolation('dead letter', failures.map(String).join('; '));
}

function refusedSince(h: Harness, from: number): boolean {
  return h.emulator.admin.log.slice(from).some((r) => r.codes.includes('ErrorServerBusy'));
}

/**
 * What the timers queue after a refusal: the polling timer's first run after the back-off (a
 * reconcile of both sides, timer-jobs.ts enqueuePolls), or, when a later run already got
 * through and ended the back-off (worker.ts clears backOffUntil), the nightly full reconcile.
 */
async function timersAfterRefusal(world: World) {
  const until = (await world.account(ACCOUNT_ID)).status.backOffUntil;
  if (until) {
    world.clock.advance(Math.max(0, Date.parse(until) - world.clock.now().getTime()) + 1000);
    await enqueuePolls(world.deps, { since: new Date(Date.parse(until) - 1) });
  } else await enqueueReconcile(world.deps);
  for (const sent of world.queue.sent.splice(0)) world.inbox.push(sent.message);
}

/**
 * Faults drawn that never met their operation (a cut after more pages than the round had, a
 * busy CreateItem when nothing was created) are dropped and not counted as faults.
 */
function dropUnmetFaults(h: Harness, faults: Record<EwsFaultKind, number>) {
  if (h.cutAfter !== null) faults.cutPoll--;
  h.cutAfter = null;
  for (const f of h.emulator.admin.faults.splice(0))
    if (f.kind === 'serverBusy' || f.kind === 'invalidSyncState') faults[f.kind]--;
}

function violation(ok: boolean, invariant: string, detail: () => string): void {
  if (!ok) throw new ModelViolation(invariant, detail());
}

async function checkInvariants(h: Harness, model: ModelState) {
  const { world } = h;
  const pairs: ContactLink[] = [];
  for await (const link of world.mirror.list(ACCOUNT_ID)) pairs.push(link);
  // Every visible contact as the adapter reads it (GetItem), the form the engine works with.
  const outlook: ExchangeContact[] = [];
  for (const item of visible(h)) {
    const read = await h.ews.get(MAILBOX, item.id);
    violation(read !== null, 'Outlook contact unreadable', () => item.id);
    if (read) outlook.push(read);
  }
  const state = await world.account(ACCOUNT_ID);
  violation(state.status.heldDeletes === 0, 'deletes held', () => `${state.status.heldDeletes}`);
  violation(state.pendingCreates.length === 0, 'pending left', () => JSON.stringify(state.pendingCreates));
  for (const link of pairs) {
    const c = world.crm.peek(link.crmId);
    const x = outlook.find((o) => o.id === link.exchangeId);
    violation(c !== undefined, 'link without CRM contact', () => link.linkId);
    violation(x !== undefined, 'link without Outlook contact', () => link.linkId);
    if (!c || !x) continue;
    const held = exchangeFieldsOf(x, 'DE');
    const wanted = projectToExchange(crmContent(c), { defaultCountry: 'DE', held: [held] }).fields;
    violation(
      JSON.stringify(held) === JSON.stringify(wanted),
      'pair content differs',
      () => `${link.linkId}: Outlook ${JSON.stringify(held)} CRM ${JSON.stringify(wanted)}`,
    );
    violation(c.syncAccounts.includes(ACCOUNT_ID), 'linked contact untagged', () => c.id);
  }
  for (const x of outlook) {
    const n = pairs.filter((l) => l.exchangeId === x.id).length;
    violation(n === 1, 'Outlook contact not linked once', () => `${x.id}: ${n} links`);
    violation(
      (x.emailAddresses?.length ?? 0) <= EXCHANGE_LIMITS.emails &&
        (x.businessPhones?.length ?? 0) <= EXCHANGE_LIMITS.businessPhones &&
        (x.homePhones?.length ?? 0) <= EXCHANGE_LIMITS.homePhones,
      'Exchange limits',
      () => x.id,
    );
  }
  const crm = world.crm.all();
  for (const c of crm.filter((c) => c.syncAccounts.includes(ACCOUNT_ID))) {
    const n = pairs.filter((l) => l.crmId === c.id).length;
    violation(n === 1, 'tagged contact not copied once', () => `${c.id}: ${n} copies`);
  }
  for (const key of model.tagged) {
    const [crmId] = key.split('|');
    const c = crmId ? world.crm.peek(crmId) : undefined;
    if (!c) continue;
    violation(
      c.syncAccounts.includes(ACCOUNT_ID) || model.mayUntag.has(key),
      'untagged without a delete',
      () => `${crmId} lost its tag`,
    );
  }
  for (const id of model.userCreated) {
    const gone = world.crm.peek(id) === undefined;
    violation(
      !gone || model.userDeleted.has(id) || model.mayVanish.has(id),
      'CRM contact lost',
      () => `${id} was deleted though nobody deleted it or its Outlook copy`,
    );
  }
  for (const c of crm)
    violation(
      c.notes === (model.notes.get(c.id) ?? null),
      'notes changed',
      () => `${c.id}: ${JSON.stringify(c.notes)} ≠ ${JSON.stringify(model.notes.get(c.id) ?? null)}`,
    );
}

export function ewsSummary(stats: EwsModelStats, elapsedMs: number): string[] {
  const violations = Object.values(stats.violations).reduce((a, b) => a + b, 0);
  return [
    'model: the engine over the EWS adapter and emulator (test/reliability/ews/ews-model.ts)',
    `elapsed: ${Math.round(elapsedMs / 1000)} s`,
    `sequences: ${stats.sequences}`,
    `actions run: ${stats.actions}`,
    `faults by kind: ${Object.entries(stats.faults)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `violations: ${violations}${violations > 0 ? ` (${JSON.stringify(stats.violations)})` : ''}`,
  ];
}
