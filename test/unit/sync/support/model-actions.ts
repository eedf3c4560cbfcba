import fc from 'fast-check';
import type { CrmContactInput, CrmPhone } from '../../../../shared/contact/index.js';
import type { World } from './world.js';

/**
 * Random user actions on both sides and message processing, for the model test. Values come
 * from small pools so that contacts collide (same e-mail → a match) and edits repeat.
 */

const MAILBOX = 'makler@example.de';
const NAMES = ['Berg', 'Stein', 'Meier', 'Schulz'];
const EMAILS = ['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de', 'e@x.de'];
const PHONES = ['030 1234567', '+49 40 7654321', '0171 2345678', '089 111222', 'abc', '+43 1 5551234'];
const PHONE_TYPES: CrmPhone['type'][] = ['business', 'private', 'mobile', 'fax', null];

const pick = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

const crmEmails = fc.array(fc.nat(), { maxLength: 5 }).map((ns) =>
  ns.map((n) => ({
    address: EMAILS[n % EMAILS.length] ?? '',
    type: pick(['business', 'private', null] as const, n) ?? null,
  })),
);
const crmPhones = fc
  .array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 })
  .map((ps) =>
    ps.map(([n, t]) => ({ number: PHONES[n % PHONES.length] ?? '', type: pick(PHONE_TYPES, t) ?? null })),
  );
const outlookEmails = fc
  .uniqueArray(fc.constantFrom(...EMAILS), { maxLength: 3 })
  .map((list) => list.map((address) => ({ address })));

export type Action =
  | {
      kind: 'crmCreate';
      name: number;
      tagged: boolean;
      emails: CrmContactInput['emails'];
      phones: CrmPhone[];
      notes: string | null;
    }
  | { kind: 'crmEdit'; target: number; patch: Partial<CrmContactInput> }
  | { kind: 'crmTag' | 'crmUntag' | 'crmDelete'; target: number }
  | { kind: 'exCreate'; name: number; emails: { address: string }[]; mobile: number | null }
  | { kind: 'exEdit'; target: number; body: Record<string, unknown> }
  | { kind: 'exDelete'; target: number }
  | { kind: 'process'; target: number; duplicate: boolean };

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('crmCreate' as const),
    name: fc.nat(),
    tagged: fc.boolean(),
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
    kind: fc.constantFrom('crmTag' as const, 'crmUntag' as const, 'crmDelete' as const),
    target: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('exCreate' as const),
    name: fc.nat(),
    emails: outlookEmails,
    mobile: fc.option(fc.nat(), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('exEdit' as const),
    target: fc.nat(),
    body: fc.oneof(
      fc.record({ surname: fc.constantFrom(...NAMES) }),
      fc.record({ jobTitle: fc.constantFrom('Maklerin', 'Notar', null) }),
      fc.record({ emailAddresses: outlookEmails }),
      fc.record({
        businessPhones: fc.uniqueArray(fc.constantFrom('+49301234567', '+4940999888'), { maxLength: 2 }),
      }),
    ),
  }),
  fc.record({ kind: fc.constant('exDelete' as const), target: fc.nat() }),
  fc.record({ kind: fc.constant('process' as const), target: fc.nat(), duplicate: fc.boolean() }),
);

/** What the user set as notes per CRM contact (the sync must never change them). */
export type NotesModel = Map<string, string | null>;

export async function apply(world: World, action: Action, notes: NotesModel): Promise<void> {
  const crm = world.crm.all();
  const outlook = world.exchange.all(MAILBOX);
  switch (action.kind) {
    case 'crmCreate': {
      const created = world.crm.userCreate({
        lastName: pick(NAMES, action.name) ?? null,
        emails: action.emails,
        phones: action.phones,
        notes: action.notes,
        syncAccounts: action.tagged ? ['acc-1'] : [],
      });
      notes.set(created.id, created.notes);
      return;
    }
    case 'crmEdit': {
      const target = pick(crm, action.target);
      if (!target) return;
      world.crm.userUpdate(target.id, action.patch);
      if (action.patch.notes !== undefined) notes.set(target.id, action.patch.notes);
      return;
    }
    case 'crmTag':
    case 'crmUntag':
    case 'crmDelete': {
      const target = pick(crm, action.target);
      if (!target) return;
      if (action.kind === 'crmTag') world.crm.tag(target.id, 'acc-1');
      else if (action.kind === 'crmUntag') world.crm.untag(target.id, 'acc-1');
      else world.crm.userDelete(target.id);
      return;
    }
    case 'exCreate':
      world.exchange.userCreate(MAILBOX, {
        givenName: 'Outlook',
        surname: pick(NAMES, action.name),
        emailAddresses: action.emails,
        ...(action.mobile === null ? {} : { mobilePhone: `+49171${1000000 + (action.mobile % 1000)}` }),
      });
      return;
    case 'exEdit': {
      const target = pick(outlook, action.target);
      if (target) world.exchange.userUpdate(MAILBOX, target.id, action.body);
      return;
    }
    case 'exDelete': {
      const target = pick(outlook, action.target);
      if (target) world.exchange.userDelete(MAILBOX, target.id);
      return;
    }
    case 'process': {
      const index = world.inbox.length === 0 ? -1 : action.target % world.inbox.length;
      const [message] = index < 0 ? [] : world.inbox.splice(index, 1);
      if (!message) return;
      if (action.duplicate) world.inbox.push(message);
      await world.run(message).catch(() => world.inbox.push(message)); // redelivered later
      return;
    }
  }
}
