import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crmContent,
  crmFromExchange,
  exchangeFieldsOf,
  projectToExchange,
} from '../../../shared/contact/index.js';
import { linkIdFromCrm } from '../../../shared/sync/link-id.js';
import { type PairPlan, planCrmChange, planExchangeRemoval } from '../../../shared/sync/plan.js';
import { account, crmContact, exchangeContact, fields, link } from './support/builders.js';

/** planCrmChange and planExchangeRemoval: one row per branch of the planner. */

const now = new Date('2025-03-01T12:00:00Z');
const synced = fields({ givenName: 'Anna', surname: 'Berg', emailAddresses: ['anna@berg.de'] });
const tagged = (over = {}) =>
  crmContact({
    firstName: 'Anna',
    lastName: 'Berg',
    emails: [{ address: 'anna@berg.de', type: 'business' }],
    syncAccounts: ['acc-1'],
    ...over,
  });
const copyOf = (window = synced, changeKey = 'ck1') => exchangeContact(window, { changeKey });

interface Row {
  name: string;
  plan: () => PairPlan;
  kind: PairPlan['kind'];
  check?: (plan: PairPlan) => void;
}

const rows: Row[] = [
  {
    name: 'both sides edited one field; the CRM version was written by the sync (another account) later but carries an older edit → the newer Outlook edit wins',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ position: 'Älter', version: 2, updatedAt: '2025-03-01T11:00:00.000Z' }),
        exchange: exchangeContact(
          { ...synced, jobTitle: 'Neuer' },
          { changeKey: 'ck2', lastModifiedDateTime: '2025-03-01T10:00:00Z' },
        ),
        now,
        crmEditedAt: new Date('2025-03-01T09:00:00Z'),
      }),
    kind: 'update',
    check: (p) =>
      expect(p).toMatchObject({
        crmPatch: { position: 'Neuer' },
        exchangePatch: null,
        conflicts: [{ field: 'jobTitle', winner: 'exchange' }],
        crmEditedAt: '2025-03-01T10:00:00.000Z',
      }),
  },
  {
    name: "the same without the other account's edit time: the CRM's updatedAt is the newer edit and wins",
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ position: 'Älter', version: 2, updatedAt: '2025-03-01T11:00:00.000Z' }),
        exchange: exchangeContact(
          { ...synced, jobTitle: 'Neuer' },
          { changeKey: 'ck2', lastModifiedDateTime: '2025-03-01T10:00:00Z' },
        ),
        now,
      }),
    kind: 'update',
    check: (p) =>
      expect(p).toMatchObject({
        crmPatch: null,
        exchangePatch: { jobTitle: 'Älter' },
        conflicts: [{ field: 'jobTitle', winner: 'crm' }],
        crmEditedAt: '2025-03-01T11:00:00.000Z',
      }),
  },
  {
    name: 'the link that wrote this CRM version remembers the edit time it carries',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced, { crmVersion: 2, crmEditedAt: '2025-03-01T09:00:00.000Z', changeKey: 'ck1' }),
        crm: tagged({ version: 2, updatedAt: '2025-03-01T11:00:00.000Z' }),
        exchange: exchangeContact(
          { ...synced, jobTitle: 'Neuer' },
          { changeKey: 'ck2', lastModifiedDateTime: '2025-03-01T10:00:00Z' },
        ),
        now,
      }),
    kind: 'update',
    check: (p) =>
      expect(p).toMatchObject({ crmPatch: { position: 'Neuer' }, crmEditedAt: '2025-03-01T10:00:00.000Z' }),
  },
  {
    name: 'a deleted CRM contact that was never linked: nothing to do',
    plan: () => planCrmChange({ account: account(), link: null, crm: null, exchange: null, now }),
    kind: 'noop',
  },
  {
    name: 'CRM delete → the Exchange copy is deleted',
    plan: () => planCrmChange({ account: account(), link: link(synced), crm: null, exchange: copyOf(), now }),
    kind: 'deleteExchange',
    check: (p) => expect(p).toMatchObject({ reason: 'crmDeleted' }),
  },
  {
    name: 'CRM delete, Exchange copy only re-saved (new changeKey, same content) → still deleted',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: null,
        exchange: copyOf(synced, 'ck2'),
        now,
      }),
    kind: 'deleteExchange',
  },
  {
    name: 'CRM delete while Outlook edited the copy: edit beats delete, it comes back to the CRM',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: null,
        exchange: copyOf({ ...synced, jobTitle: 'Maklerin' }, 'ck2'),
        now,
      }),
    kind: 'createInCrm',
    check: (p) => {
      if (p.kind !== 'createInCrm') return;
      expect(p.replaces?.value.linkId).toBe('crm.c1');
      expect(p.input).toMatchObject({ position: 'Maklerin', syncAccounts: ['acc-1'], notes: null });
    },
  },
  {
    name: 'CRM delete, Exchange copy gone too → only the link is dropped',
    plan: () => planCrmChange({ account: account(), link: link(synced), crm: null, exchange: null, now }),
    kind: 'dropLink',
  },
  {
    name: 'an untagged, unlinked CRM contact is none of this account’s business',
    plan: () =>
      planCrmChange({
        account: account(),
        link: null,
        crm: tagged({ syncAccounts: ['other'] }),
        exchange: null,
        now,
      }),
    kind: 'noop',
  },
  {
    name: 'sync tag removed → the Exchange copy is deleted',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ syncAccounts: [], version: 2 }),
        exchange: copyOf(),
        now,
      }),
    kind: 'deleteExchange',
    check: (p) => expect(p).toEqual({ kind: 'deleteExchange', link: link(synced), reason: 'tagRemoved' }),
  },
  {
    name: 'sync tag removed while Outlook edited the copy → the edit goes to the CRM, then the copy',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ syncAccounts: [], version: 2 }),
        exchange: copyOf({ ...synced, jobTitle: 'Maklerin' }, 'ck2'),
        now,
      }),
    kind: 'deleteExchange',
    check: (p) =>
      expect(p).toEqual({
        kind: 'deleteExchange',
        link: link(synced, { changeKey: 'ck2' }),
        reason: 'tagRemoved',
        deliver: { crm: tagged({ syncAccounts: [], version: 2 }), patch: { position: 'Maklerin' } },
      }),
  },
  {
    name: 'sync tag removed, copy only re-saved (new changeKey, same content) → deleted, nothing delivered',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ syncAccounts: [], version: 2 }),
        exchange: copyOf(synced, 'ck2'),
        now,
      }),
    kind: 'deleteExchange',
    check: (p) => expect(p).toEqual({ kind: 'deleteExchange', link: link(synced), reason: 'tagRemoved' }),
  },
  {
    name: 'sync tag removed, Exchange copy already gone → link dropped',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ syncAccounts: [], version: 2 }),
        exchange: null,
        now,
      }),
    kind: 'dropLink',
  },
  {
    name: 'newly tagged → created in Exchange with the limits applied and the overflow kept back',
    plan: () =>
      planCrmChange({
        account: account(),
        link: null,
        crm: tagged({
          notes: 'Nur vormittags anrufen',
          emails: ['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de'].map((address) => ({ address, type: null })),
        }),
        exchange: null,
        now,
      }),
    kind: 'createInExchange',
    check: (p) => {
      if (p.kind !== 'createInExchange') return;
      expect(p.fields.emailAddresses).toEqual(['a@x.de', 'b@x.de', 'c@x.de']);
      expect(p.linkId).toBe(linkIdFromCrm('c1'));
      expect(p.replaces).toBeNull();
      expect(p.keptBack.map((k) => k.reason).sort()).toEqual(['limitReached', 'notesNeverSynced']);
    },
  },
  {
    name: 'Outlook deleted the copy, CRM unchanged → unlink (tag removed) by default',
    plan: () => planCrmChange({ account: account(), link: link(synced), crm: tagged(), exchange: null, now }),
    kind: 'removeFromCrm',
    check: (p) => expect(p).toMatchObject({ mode: 'unlink' }),
  },
  {
    name: 'Outlook deleted the copy, account set to delete → delete',
    plan: () =>
      planExchangeRemoval({
        account: account({ exchangeDeleteAction: 'delete' }),
        link: link(synced),
        crm: tagged(),
        exchange: null,
        now,
      }),
    kind: 'removeFromCrm',
    check: (p) => expect(p).toMatchObject({ mode: 'delete' }),
  },
  {
    name: 'Outlook deleted the copy, a CRM notes-only edit is no edit of the window → unlink',
    plan: () =>
      planExchangeRemoval({
        account: account(),
        link: link(synced),
        crm: tagged({ notes: 'neu', version: 5 }),
        exchange: null,
        now,
      }),
    kind: 'removeFromCrm',
  },
  {
    name: 'Outlook deleted the copy while the CRM edited the window: edit beats delete, recreated',
    plan: () =>
      planExchangeRemoval({
        account: account(),
        link: link(synced),
        crm: tagged({ lastName: 'Berg-Meier', version: 2 }),
        exchange: null,
        now,
      }),
    kind: 'createInExchange',
    check: (p) => {
      if (p.kind !== 'createInExchange') return;
      expect(p.replaces?.value.linkId).toBe('crm.c1');
      expect(p.fields.surname).toBe('Berg-Meier');
    },
  },
  {
    name: 'Outlook deleted the copy of a contact deleted in the CRM too → link dropped',
    plan: () =>
      planExchangeRemoval({ account: account(), link: link(synced), crm: null, exchange: null, now }),
    kind: 'dropLink',
  },
  {
    name: 'version and changeKey as synced (our own write, echoed) → nothing',
    plan: () =>
      planCrmChange({ account: account(), link: link(synced), crm: tagged(), exchange: copyOf(), now }),
    kind: 'noop',
  },
  {
    name: 'new version, same window (notes edited) → only the bookkeeping moves',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ notes: 'Rückruf', version: 2 }),
        exchange: copyOf(),
        now,
      }),
    kind: 'refreshLink',
    check: (p) => expect(p).toMatchObject({ update: { crmVersion: 2 } }),
  },
  {
    name: 'CRM edit of a window field → PATCH of exactly that field in Exchange, nothing back',
    plan: () =>
      planCrmChange({
        account: account(),
        link: link(synced),
        crm: tagged({ company: 'Berg Immobilien', version: 2, updatedAt: '2025-02-01T00:00:00.000Z' }),
        exchange: copyOf(),
        now,
      }),
    kind: 'update',
    check: (p) => {
      if (p.kind !== 'update') return;
      expect(p.exchangePatch).toEqual({ companyName: 'Berg Immobilien' });
      expect(p.crmPatch).toBeNull();
    },
  },
];

/** What the rows above say, in order: the log's words for "nothing to do". */
const REASONS = [
  'deleted CRM contact was never linked',
  'deleted on both sides',
  'not tagged for this account',
  'sync tag removed; Exchange copy already gone',
  'deleted on both sides',
  'version and changeKey unchanged since the last sync',
];

describe('planCrmChange / planExchangeRemoval', () => {
  it.each(rows)('$name', ({ plan, kind, check }) => {
    const result = plan();
    expect(result.kind).toBe(kind);
    check?.(result);
  });

  it('says why when it writes nothing or only drops the link (the reason reaches the log)', () => {
    const reasons = rows.flatMap(({ plan }) => {
      const p = plan();
      return 'reason' in p && (p.kind === 'noop' || p.kind === 'dropLink') ? [p.reason] : [];
    });
    expect(reasons).toEqual(REASONS);
  });

  it('projects what it creates exactly as projectToExchange does', () => {
    const crm = tagged({ phones: [{ number: '030 1234567', type: 'business' }] });
    const plan = planCrmChange({ account: account(), link: null, crm, exchange: null, now });
    const expected = projectToExchange(crmContent(crm), { defaultCountry: 'DE' }).fields;
    expect(plan).toMatchObject({ kind: 'createInExchange', fields: expected });
    expect(expected.businessPhones).toEqual(['+49301234567']);
  });
});

describe('the snapshot after a create from Outlook (link.ts)', () => {
  const oddOutlook = fc.record({
    id: fc.constant('x1'),
    businessPhones: fc.array(fc.constantFrom('4711', '030 1234567', '030 1234567 ext. 12', 'Zentrale'), {
      maxLength: 2,
    }),
    mobilePhone: fc.option(fc.constantFrom('0171 1234567', 'n/a'), { nil: null }),
    emailAddresses: fc.array(
      fc.constantFrom('a@x.de', 'A@x.de', 'b@x.de').map((address) => ({ address })),
      {
        maxLength: 3,
      },
    ),
  });

  it('an Outlook delete of any contact created from Outlook stays a delete (no re-creation)', () => {
    fc.assert(
      fc.property(oddOutlook, fc.string(), (graph, notes) => {
        const window = exchangeFieldsOf(graph, 'DE');
        const crm = crmContact({ ...crmFromExchange(window, 'acc-1'), notes, version: 2 });
        const plan = planExchangeRemoval({
          account: account(),
          link: link(window),
          crm,
          exchange: null,
          now,
        });
        expect(plan.kind).toBe('removeFromCrm');
      }),
    );
  });
});
