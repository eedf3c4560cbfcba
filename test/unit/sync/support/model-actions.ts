import fc from 'fast-check';
import type { CrmContactInput, CrmPhone } from '../../../../shared/contact/index.js';
import { ACCOUNT_LEASE_MS } from '../../../../shared/sync/lease-guard.js';
import type { StoredContact } from '../../../fakes/exchange-mailbox.js';
import type { World } from './world.js';

/**
 * Random user actions on both sides, faults, and message processing, for the in-memory model
 * (memory-model.ts). Values come from small pools so that contacts collide (same e-mail → a
 * match, two equal e-mails in one contact) and edits repeat; numbers include ones the CRM
 * cannot canonicalise (`4711`, `abc`) and extensions. One to three accounts share the CRM.
 */

export const ACCOUNTS = [
  { id: 'acc-1', mailbox: 'makler@example.de' },
  { id: 'acc-2', mailbox: 'assistenz@example.de' },
  { id: 'acc-3', mailbox: 'buero@example.de' },
] as const;

const NAMES = ['Berg', 'Stein', 'Meier', 'Schulz'];
const EMAILS = ['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de', 'e@x.de'];
const CRM_PHONES = [
  '030 1234567',
  '+49 40 7654321',
  '0171 2345678',
  '089 111222',
  'abc',
  '+43 1 5551234',
  '4711',
  '030 1234567 ext. 12',
  '+49 30 1234567 x 7',
];
const OUTLOOK_PHONES = ['+49301234567', '+4940999888', '4711', '030 1234567 ext. 12', '(030) 555-0199'];
const PHONE_TYPES: CrmPhone['type'][] = ['business', 'private', 'mobile', 'fax', null];

const pick = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

const crmEmails = fc.array(fc.nat(), { maxLength: 5 }).map((ns) =>
  ns.map((n) => ({
    address: EMAILS[n % EMAILS.length] ?? '',
    type: pick(['business', 'private', null] as const, n) ?? null,
  })),
);
const crmPhones = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }).map((ps) =>
  ps.map(([n, t]) => ({
    number: CRM_PHONES[n % CRM_PHONES.length] ?? '',
    type: pick(PHONE_TYPES, t) ?? null,
  })),
);
/** Outlook allows the same address twice in one contact. */
const outlookEmails = fc
  .array(fc.constantFrom(...EMAILS), { maxLength: 3 })
  .map((list) => list.map((address) => ({ address })));

export type FaultKind =
  | 'crashAfterWrite'
  | 'crashBeforeMirrorWrite'
  | 'transient'
  | 'pausedWorker'
  | 'duplicateDelivery';

export type Action =
  | {
      kind: 'crmCreate';
      name: number;
      tags: number;
      emails: CrmContactInput['emails'];
      phones: CrmPhone[];
      notes: string | null;
    }
  | { kind: 'crmEdit'; target: number; patch: Partial<CrmContactInput> }
  | { kind: 'crmTag' | 'crmUntag'; target: number; account: number }
  | { kind: 'crmDelete'; target: number }
  | { kind: 'exCreate'; account: number; name: number; emails: { address: string }[]; phone: number | null }
  | { kind: 'exEdit'; account: number; target: number; body: Record<string, unknown> }
  | { kind: 'exDelete' | 'exSoftDelete' | 'exMove'; account: number; target: number }
  | { kind: 'exRestore'; account: number; target: number }
  | {
      kind: 'fault';
      /** `crashBeforeMirrorWrite`: behind the 1st, 2nd or 3rd remote write (by `method`). */
      fault: 'crash' | 'crashBeforeMirrorWrite' | 'transient';
      side: 'exchange' | 'crm' | 'mirror' | 'accounts';
      method: 'create' | 'update' | 'delete';
    }
  | { kind: 'process'; target: number; duplicate: boolean }
  | { kind: 'pausedWorker'; target: number; other: number; at: 'get' | 'delta' | 'findByEmail' };

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('crmCreate' as const),
    name: fc.nat(),
    tags: fc.nat(7), // a bit mask over the accounts
    emails: crmEmails,
    phones: crmPhones,
    notes: fc.option(fc.constantFrom('Notiz', 'Rückruf am Montag'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('crmEdit' as const),
    target: fc.nat(),
    patch: fc.oneof(
      fc.record({ lastName: fc.constantFrom(...NAMES) }),
      fc.record({ company: fc.constantFrom('Berg GmbH', 'Stein AG', '') }),
      fc.record({ emails: crmEmails }),
      fc.record({ phones: crmPhones }),
      fc.record({ notes: fc.constantFrom('neu', 'anders') }),
    ),
  }),
  fc.record({
    kind: fc.constantFrom('crmTag' as const, 'crmUntag' as const),
    target: fc.nat(),
    account: fc.nat(),
  }),
  fc.record({ kind: fc.constant('crmDelete' as const), target: fc.nat() }),
  fc.record({
    kind: fc.constant('exCreate' as const),
    account: fc.nat(),
    name: fc.nat(),
    emails: outlookEmails,
    phone: fc.option(fc.nat(), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('exEdit' as const),
    account: fc.nat(),
    target: fc.nat(),
    body: fc.oneof(
      fc.record({ surname: fc.constantFrom(...NAMES) }),
      fc.record({ jobTitle: fc.constantFrom('Maklerin', 'Notar', null) }),
      fc.record({ emailAddresses: outlookEmails }),
      fc.record({
        businessPhones: fc.uniqueArray(fc.constantFrom(...OUTLOOK_PHONES), { maxLength: 2 }),
      }),
    ),
  }),
  fc.record({
    kind: fc.constantFrom('exDelete' as const, 'exSoftDelete' as const, 'exMove' as const),
    account: fc.nat(),
    target: fc.nat(),
  }),
  fc.record({ kind: fc.constant('exRestore' as const), account: fc.nat(), target: fc.nat() }),
  fc.record({
    kind: fc.constant('fault' as const),
    fault: fc.constantFrom('crash' as const, 'crashBeforeMirrorWrite' as const, 'transient' as const),
    side: fc.constantFrom('exchange' as const, 'crm' as const, 'mirror' as const, 'accounts' as const),
    method: fc.constantFrom('create' as const, 'update' as const, 'delete' as const),
  }),
  fc.record({ kind: fc.constant('process' as const), target: fc.nat(), duplicate: fc.boolean() }),
  fc.record({ kind: fc.constant('process' as const), target: fc.nat(), duplicate: fc.boolean() }),
  fc.record({
    kind: fc.constant('pausedWorker' as const),
    target: fc.nat(),
    other: fc.nat(),
    at: fc.constantFrom('get' as const, 'delta' as const, 'findByEmail' as const),
  }),
);

/**
 * What the model remembers to judge the end state by: the notes the user set (the sync must
 * never change them), the CRM contacts the user made and deleted, which ones an Outlook delete
 * may remove or unlink, the tags the user set, what is in Deleted Items, and the faults drawn.
 */
export interface ModelState {
  accounts: number;
  notes: Map<string, string | null>;
  userCreated: Set<string>;
  userDeleted: Set<string>;
  /** CRM ids an Outlook delete (in an account with exchangeDeleteAction=delete) may remove. */
  mayVanish: Set<string>;
  /** `crmId|accountId` an Outlook delete (or the user) may untag. */
  mayUntag: Set<string>;
  /** `crmId|accountId` the user tagged (and did not untag since). */
  tagged: Set<string>;
  trash: Map<string, StoredContact[]>;
  /** Outlook id → the id the contact had before a move or a restore gave it a new one. */
  lineage: Map<string, string>;
  /** Outlook ids a restore brought back (new to the sync, they may get a CRM contact of their own). */
  restored: Set<string>;
  /** Outlook ids a move gave a contact without the ownership marker (see `exMove`). */
  movedUnmarked: Set<string>;
  /** CRM contacts a CRM user edited, tagged or untagged. */
  crmEdited: Set<string>;
  faults: Record<FaultKind, number>;
}

export function emptyModel(accounts: number): ModelState {
  return {
    accounts,
    notes: new Map(),
    userCreated: new Set(),
    userDeleted: new Set(),
    mayVanish: new Set(),
    mayUntag: new Set(),
    tagged: new Set(),
    trash: new Map(),
    lineage: new Map(),
    restored: new Set(),
    movedUnmarked: new Set(),
    crmEdited: new Set(),
    faults: {
      crashAfterWrite: 0,
      crashBeforeMirrorWrite: 0,
      transient: 0,
      pausedWorker: 0,
      duplicateDelivery: 0,
    },
  };
}

export async function apply(world: World, action: Action, model: ModelState): Promise<void> {
  const crm = world.crm.all();
  const account = ACCOUNTS[('account' in action ? action.account : 0) % model.accounts] ?? ACCOUNTS[0];
  const outlook = () => world.exchange.all(account.mailbox);
  switch (action.kind) {
    case 'crmCreate': {
      const tags = ACCOUNTS.slice(0, model.accounts)
        .filter((_, i) => (action.tags >> i) & 1)
        .map((a) => a.id);
      const created = world.crm.userCreate({
        lastName: pick(NAMES, action.name) ?? null,
        emails: action.emails,
        phones: action.phones,
        notes: action.notes,
        syncAccounts: tags,
      });
      model.notes.set(created.id, created.notes);
      model.userCreated.add(created.id);
      for (const tag of tags) model.tagged.add(`${created.id}|${tag}`);
      return;
    }
    case 'crmEdit': {
      const target = pick(crm, action.target);
      if (!target) return;
      world.crm.userUpdate(target.id, action.patch);
      model.crmEdited.add(target.id);
      if (action.patch.notes !== undefined) model.notes.set(target.id, action.patch.notes);
      return;
    }
    case 'crmTag':
    case 'crmUntag': {
      const target = pick(crm, action.target);
      if (!target) return;
      const key = `${target.id}|${account.id}`;
      model.crmEdited.add(target.id);
      if (action.kind === 'crmTag') {
        world.crm.tag(target.id, account.id);
        model.tagged.add(key);
      } else {
        world.crm.untag(target.id, account.id);
        model.tagged.delete(key);
      }
      return;
    }
    case 'crmDelete': {
      const target = pick(crm, action.target);
      if (!target) return;
      world.crm.userDelete(target.id);
      model.userDeleted.add(target.id);
      return;
    }
    case 'exCreate': {
      const phone = action.phone === null ? {} : { businessPhones: [pick(OUTLOOK_PHONES, action.phone)] };
      world.exchange.userCreate(account.mailbox, {
        givenName: 'Outlook',
        surname: pick(NAMES, action.name),
        emailAddresses: action.emails,
        ...phone,
      });
      return;
    }
    case 'exEdit': {
      const target = pick(outlook(), action.target);
      if (target) world.exchange.userUpdate(account.mailbox, target.id, action.body);
      return;
    }
    case 'exDelete':
    case 'exSoftDelete': {
      const target = pick(outlook(), action.target);
      if (!target) return;
      await outlookDeleteAllowed(world, model, account.id, target.id);
      if (action.kind === 'exDelete') world.exchange.userDelete(account.mailbox, target.id);
      else {
        const trash = model.trash.get(account.mailbox) ?? [];
        trash.push(world.exchange.userSoftDelete(account.mailbox, target.id));
        model.trash.set(account.mailbox, trash);
      }
      return;
    }
    case 'exRestore': {
      const trash = model.trash.get(account.mailbox) ?? [];
      const index = trash.length === 0 ? -1 : action.target % trash.length;
      const [restored] = index < 0 ? [] : trash.splice(index, 1);
      if (!restored) return;
      const id = world.exchange.userRestore(account.mailbox, restored);
      model.restored.add(id);
      if (id !== restored.id) model.lineage.set(id, restored.id);
      return;
    }
    case 'exMove': {
      const target = pick(outlook(), action.target);
      if (!target) return;
      const other = world.exchange.folderIds(account.mailbox).find((id) => id !== target.parentFolderId);
      if (!other) return;
      const id = world.exchange.userMove(account.mailbox, target.id, other);
      if (id === target.id) return;
      model.lineage.set(id, target.id);
      // Without immutable ids, a contact made in Outlook (no ownership marker) that is also
      // edited before the sync sees the move cannot be told from a delete and a create: the
      // model allows what a delete may do (a known limit; the Graph adapter asks for immutable ids),
      // and with a CRM edit of its contact, edit beats delete: a copy on each side.
      if (world.exchange.markerOf(account.mailbox, id) === null) {
        await outlookDeleteAllowed(world, model, account.id, target.id);
        model.movedUnmarked.add(id);
      }
      return;
    }
    case 'fault': {
      // A crash after the write at any await of a worker: a remote write (Exchange, CRM), the
      // mirror's link or log write, or the account row (the pending ledger, the deltaLinks).
      // Or the whole-stack soak's crash: the worker dies between a remote write and the mirror
      // write after it (the 1st, 2nd or 3rd remote write from now, of any side and account).
      if (action.fault === 'crashBeforeMirrorWrite') {
        const behind = { create: 1, update: 2, delete: 3 }[action.method];
        world.mirror.crashBeforeNextMirrorWrite(behind);
        model.faults.crashBeforeMirrorWrite++;
        return;
      }
      if (action.side === 'mirror') {
        const method = ({ create: 'appendLog', update: 'put', delete: 'delete' } as const)[action.method];
        if (action.fault === 'crash') world.mirror.hooks.crashAfterWrite(method);
        else world.mirror.hooks.failNext(method, 'transient');
      } else if (action.side === 'accounts') {
        if (action.fault === 'crash') world.accounts.hooks.crashAfterWrite('put');
        else world.accounts.hooks.failNext('put', 'transient');
      } else {
        const hooks = action.side === 'exchange' ? world.exchange.hooks : world.crm.hooks;
        if (action.fault === 'crash') hooks.crashAfterWrite(action.method);
        else hooks.failNext(action.method, 'transient');
      }
      if (action.fault === 'crash') model.faults.crashAfterWrite++;
      else model.faults.transient++;
      return;
    }
    case 'process': {
      const message = take(world, action.target);
      if (!message) return;
      if (action.duplicate) {
        world.inbox.push(message);
        model.faults.duplicateDelivery++;
      }
      await world.run(message).catch(() => world.inbox.push(message)); // redelivered later
      return;
    }
    case 'pausedWorker': {
      const first = take(world, action.target);
      if (!first) return;
      model.faults.pausedWorker++;
      await pausedPastLease(world, first, action);
      return;
    }
  }
}

/**
 * The model's record of what an Outlook delete may do in the CRM: the CRM contact linked to
 * the deleted Outlook contact may be untagged for the account, or deleted if that is the
 * account's choice. Nothing else may lose a tag or a contact (a move is no delete).
 */
async function outlookDeleteAllowed(world: World, model: ModelState, accountId: string, exchangeId: string) {
  // The link may still name the id the contact had before a move or a restore not synced yet.
  const account = await world.account(accountId);
  const mode = account.exchangeDeleteAction;
  // A CRM create from this contact that a crash left unrecorded: its contact is an orphan of
  // the deleted Outlook contact and gets what an Outlook delete gets (pending.ts).
  for (const pending of account.pendingCreates.filter((p) => p.side === 'crm' && p.sourceId === exchangeId))
    for (const crmId of world.crm.createdWithKey(`${accountId}:${pending.linkId}`)) {
      model.mayUntag.add(`${crmId}|${accountId}`);
      if (mode === 'delete') model.mayVanish.add(crmId);
    }
  for (let id: string | undefined = exchangeId; id !== undefined; id = model.lineage.get(id)) {
    const link = await world.mirror.getByExchangeId(accountId, id);
    if (!link) continue;
    model.mayUntag.add(`${link.value.crmId}|${accountId}`);
    if (mode === 'delete') model.mayVanish.add(link.value.crmId);
  }
}

function take(world: World, target: number) {
  const index = world.inbox.length === 0 ? -1 : target % world.inbox.length;
  const [message] = index < 0 ? [] : world.inbox.splice(index, 1);
  return message;
}

/**
 * A worker that freezes at a read for longer than its lease while a second worker processes
 * another message (of any account, often the same one); then the first one wakes up.
 */
async function pausedPastLease(
  world: World,
  first: NonNullable<ReturnType<typeof take>>,
  action: Extract<Action, { kind: 'pausedWorker' }>,
) {
  let resume: () => void = () => undefined;
  const frozen = new Promise<void>((resolve) => {
    resume = resolve;
  });
  let paused = false;
  const freeze = async () => {
    if (paused) return;
    paused = true;
    await frozen;
  };
  const hooks =
    action.at === 'findByEmail' ? [world.crm.hooks] : ([world.exchange.hooks, world.crm.hooks] as const);
  for (const h of hooks) h.onEnter(action.at as never, freeze);
  const running = world.run(first).catch(() => world.inbox.push(first));
  for (let i = 0; i < 20 && !paused; i++) await new Promise((resolve) => setImmediate(resolve));
  for (const h of hooks) h.onEnter(action.at as never, null);
  if (paused) {
    world.clock.advance(ACCOUNT_LEASE_MS + 1000);
    const second = take(world, action.other);
    if (second) await world.run(second).catch(() => world.inbox.push(second));
  }
  resume();
  await running;
}
