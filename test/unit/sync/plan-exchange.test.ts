import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../shared/contact/index.js';
import { linkIdFromExchange, relinkId } from '../../../shared/sync/link-id.js';
import { type PairPlan, planExchangeUpsert } from '../../../shared/sync/plan.js';
import { account, crmContact, exchangeContact, fields, link } from './support/builders.js';

/** planExchangeUpsert: one row per branch. */

const now = new Date('2025-03-01T12:00:00Z');
const synced = fields({ givenName: 'Anna', surname: 'Berg', emailAddresses: ['anna@berg.de'] });
const crm = (over = {}) =>
  crmContact({
    firstName: 'Anna',
    lastName: 'Berg',
    emails: [{ address: 'anna@berg.de', type: 'private' }],
    notes: 'Schlüssel beim Nachbarn',
    syncAccounts: ['acc-1'],
    ...over,
  });
const outlook = (window = synced, changeKey = 'ck2') =>
  exchangeContact(window, { changeKey, lastModifiedDateTime: '2025-02-01T00:00:00Z' });

interface Row {
  name: string;
  plan: () => PairPlan;
  kind: PairPlan['kind'];
  check?: (plan: PairPlan) => void;
}

const rows: Row[] = [
  {
    name: 'changeKey as synced → echo, nothing',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm(),
        exchange: outlook(synced, 'ck1'),
        now,
      }),
    kind: 'noop',
  },
  {
    name: 'new changeKey, same content hash → echo, only the changeKey is remembered',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm(),
        exchange: outlook({ ...synced, emailAddresses: ['ANNA@berg.de '] }),
        now,
      }),
    kind: 'refreshLink',
    check: (p) => expect(p).toMatchObject({ update: { changeKey: 'ck2' } }),
  },
  {
    name: 'new unlinked Outlook contact, no CRM match → created in the CRM, tagged, types null',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: null,
        crm: null,
        exchange: outlook({ ...synced, mobilePhone: '+491711234567', businessHomePage: 'https://berg.de' }),
        now,
      }),
    kind: 'createInCrm',
    check: (p) => {
      if (p.kind !== 'createInCrm') return;
      expect(p.replaces).toBeNull();
      expect(p.linkId).toBe(linkIdFromExchange('acc-1', 'x1'));
      expect(p.input).toMatchObject({
        firstName: 'Anna',
        emails: [{ address: 'anna@berg.de', type: null }],
        phones: [{ number: '+491711234567', type: 'mobile' }],
        websites: [{ url: 'https://berg.de', type: null }],
        notes: null,
        syncAccounts: ['acc-1'],
      });
    },
  },
  {
    name: 'linked, CRM contact deleted, Outlook edited: edit beats delete, created again',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: null,
        exchange: outlook({ ...synced, surname: 'Berg-Meier' }),
        now,
      }),
    kind: 'createInCrm',
    check: (p) => expect(p).toMatchObject({ replaces: { value: { linkId: 'crm.c1' } } }),
  },
  {
    name: 'first match: unlinked Outlook contact + untagged CRM candidate → update that adds the tag',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: null,
        crm: crm({ syncAccounts: ['other-account'] }),
        exchange: outlook({ ...synced, jobTitle: 'Architektin' }),
        now,
      }),
    kind: 'update',
    check: (p) => {
      if (p.kind !== 'update') return;
      expect(p.link).toBeNull();
      expect(p.crmPatch?.syncAccounts).toEqual(['other-account', 'acc-1']);
      expect(p.crmPatch?.position).toBe('Architektin');
      expect(p.crmPatch).not.toHaveProperty('notes');
      expect(p.crmPatch).not.toHaveProperty('emails'); // the chosen e-mail type stays
    },
  },
  {
    name: 'first match with equal content still links and tags (an update, not a refresh)',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: null,
        crm: crm({ syncAccounts: [] }),
        exchange: outlook(synced),
        now,
      }),
    kind: 'update',
    check: (p) => expect(p).toMatchObject({ crmPatch: { syncAccounts: ['acc-1'] }, exchangePatch: null }),
  },
  {
    name: 'Outlook edit of a linked pair whose sync tag was removed → the edit goes to the CRM, untagged, then the copy',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm({ syncAccounts: [], version: 2 }),
        exchange: outlook({ ...synced, jobTitle: 'Architektin' }),
        now,
      }),
    kind: 'deleteExchange',
    check: (p) =>
      expect(p).toEqual({
        kind: 'deleteExchange',
        link: link(synced, { changeKey: 'ck2' }),
        reason: 'tagRemoved',
        deliver: { crm: crm({ syncAccounts: [], version: 2 }), patch: { position: 'Architektin' } },
      }),
  },
  {
    name: 'Outlook edit of a linked pair → CRM PATCH of that field only; notes and e-mail type kept',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm(),
        exchange: outlook({ ...synced, emailAddresses: ['anna@berg-neu.de'] }),
        now,
      }),
    kind: 'update',
    check: (p) => {
      if (p.kind !== 'update') return;
      expect(p.crmPatch).toEqual({ emails: [{ address: 'anna@berg-neu.de', type: 'private' }] });
      expect(p.exchangePatch).toBeNull();
      expect(contentHash(p.snapshot)).toBe(contentHash({ ...synced, emailAddresses: ['anna@berg-neu.de'] }));
    },
  },
  {
    name: 'both sides made the same edit → nothing to write, bookkeeping only',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm({ lastName: 'Stein', version: 3 }),
        exchange: outlook({ ...synced, surname: 'Stein' }),
        now,
      }),
    kind: 'refreshLink',
    check: (p) =>
      expect(p).toMatchObject({
        update: {
          crmVersion: 3,
          changeKey: 'ck2',
          snapshot: { ...synced, surname: 'Stein' },
          snapshotHash: contentHash({ ...synced, surname: 'Stein' }),
          crmEditedAt: '2025-01-01T00:00:00.000Z',
        },
      }),
  },
  {
    name: 'a link and an Outlook contact without changeKey are not an echo of each other',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced, { changeKey: null }),
        crm: crm(),
        exchange: { ...outlook({ ...synced, surname: 'Neu' }), changeKey: null },
        now,
      }),
    kind: 'update',
  },
  {
    name: 'an echo without changeKey remembers none',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm(),
        exchange: { ...outlook(synced), changeKey: undefined },
        now,
      }),
    kind: 'refreshLink',
    check: (p) => expect(p).toMatchObject({ update: { changeKey: null } }),
  },
  {
    name: 'a contact created from Outlook carries the Outlook edit time (or now, without one)',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: null,
        crm: null,
        exchange: { ...outlook(synced), lastModifiedDateTime: null },
        now,
      }),
    kind: 'createInCrm',
    check: (p) => expect(p).toMatchObject({ crmEditedAt: now.toISOString(), snapshot: synced }),
  },
  {
    name: 'a conflict with an Outlook contact without lastModifiedDateTime counts it as edited now',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced),
        crm: crm({ lastName: 'CRM', version: 2, updatedAt: '2025-03-01T11:00:00.000Z' }),
        exchange: { ...outlook({ ...synced, surname: 'Outlook' }), lastModifiedDateTime: null },
        now,
      }),
    kind: 'update',
    check: (p) =>
      expect(p).toMatchObject({
        crmPatch: { lastName: 'Outlook' },
        conflicts: [{ field: 'surname', winner: 'exchange' }],
        crmEditedAt: now.toISOString(),
      }),
  },
  {
    name: 'the CRM contact was re-created by an Outlook edit: a fresh idempotency key per generation',
    plan: () =>
      planExchangeUpsert({
        account: account(),
        link: link(synced, { crmId: 'c-old' }),
        crm: null,
        exchange: outlook({ ...synced, surname: 'Berg-Meier' }),
        now,
      }),
    kind: 'createInCrm',
    check: (p) =>
      expect(p).toMatchObject({
        linkId: relinkId(linkIdFromExchange('acc-1', 'x1'), 'c-old'),
        crmEditedAt: '2025-02-01T00:00:00.000Z',
      }),
  },
];

/** What the rows above say, in order: the log's words for "nothing to do". */
const REASONS = [
  'changeKey unchanged since the last sync',
  'content unchanged (echo)',
  'both sides already hold the same content',
  'content unchanged (echo)',
];

describe('planExchangeUpsert', () => {
  it.each(rows)('$name', ({ plan, kind, check }) => {
    const result = plan();
    expect(result.kind).toBe(kind);
    check?.(result);
  });

  it('says why when it writes nothing (the reason reaches the log)', () => {
    const reasons = rows.flatMap(({ plan }) => {
      const p = plan();
      return p.kind === 'noop' || p.kind === 'refreshLink' ? [p.reason] : [];
    });
    expect(reasons).toEqual(REASONS);
  });
});
