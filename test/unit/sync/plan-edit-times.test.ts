import { describe, expect, it } from 'vitest';
import { planCrmChange, planExchangeUpsert } from '../../../shared/sync/plan.js';
import { account, crmContact, exchangeContact, fields, link } from './support/builders.js';

/**
 * The user edit times of "newer wins" (plan.ts `editTimes`) and the edit time the CRM contact
 * carries after a plan (`crmEditedAfter`, ContactLink.crmEditedAt). Each case is one the
 * mutation run (BENCHMARKS.md, Mutation testing) showed no other test pinned down.
 */

const now = new Date('2025-03-01T12:00:00Z');
const synced = fields({ givenName: 'Anna', surname: 'Berg', emailAddresses: ['anna@berg.de'] });
const crm = (over = {}) =>
  crmContact({
    firstName: 'Anna',
    lastName: 'Berg',
    emails: [{ address: 'anna@berg.de', type: 'business' }],
    syncAccounts: ['acc-1'],
    ...over,
  });
const at = (hour: string) => `2025-03-01T${hour}:00:00.000Z`;

describe('the CRM edit time "newer wins" reads', () => {
  it("a link's remembered edit time belongs to the version it wrote: a newer CRM version is a user's edit at its updatedAt", () => {
    // The link wrote version 1 (an Outlook edit of 08:00 merged into the CRM); a user then edited
    // the CRM at 11:00 (version 2), after an Outlook edit of 10:00 of the same field.
    const plan = planCrmChange({
      account: account(),
      link: link(synced, { crmVersion: 1, crmEditedAt: at('08') }),
      crm: crm({ position: 'Im CRM', version: 2, updatedAt: at('11') }),
      exchange: exchangeContact(
        { ...synced, jobTitle: 'In Outlook' },
        { changeKey: 'ck2', lastModifiedDateTime: at('10') },
      ),
      now,
    });
    expect(plan).toMatchObject({
      kind: 'update',
      crmPatch: null,
      exchangePatch: { jobTitle: 'Im CRM' },
      conflicts: [{ field: 'jobTitle', winner: 'crm' }],
      crmEditedAt: at('11'),
    });
  });
});

describe('the edit time the CRM contact carries after the plan', () => {
  it('an older Outlook edit of another field merged into a newer CRM edit: the CRM edit stays the newest', () => {
    const plan = planCrmChange({
      account: account(),
      link: link(synced),
      crm: crm({ position: 'Im CRM', version: 2, updatedAt: at('11') }),
      exchange: exchangeContact(
        { ...synced, department: 'Vertrieb' },
        { changeKey: 'ck2', lastModifiedDateTime: at('10') },
      ),
      now,
    });
    expect(plan).toMatchObject({
      kind: 'update',
      crmPatch: { department: 'Vertrieb' },
      exchangePatch: { jobTitle: 'Im CRM' },
      conflicts: [],
      crmEditedAt: at('11'),
    });
  });

  it('a first match that merges a newer Outlook field and adds the tag carries the Outlook edit time', () => {
    const plan = planExchangeUpsert({
      account: account(),
      link: null,
      crm: crm({ syncAccounts: [], updatedAt: at('09') }),
      exchange: exchangeContact(
        { ...synced, jobTitle: 'Architektin' },
        { changeKey: 'ck2', lastModifiedDateTime: at('10') },
      ),
      now,
    });
    expect(plan).toMatchObject({
      kind: 'update',
      link: null,
      crmPatch: { position: 'Architektin', syncAccounts: ['acc-1'] },
      crmEditedAt: at('10'),
    });
  });

  it('a first match that only adds the tag carries the CRM edit time, however new the Outlook copy is', () => {
    const plan = planExchangeUpsert({
      account: account(),
      link: null,
      crm: crm({ syncAccounts: [], updatedAt: at('09') }),
      exchange: exchangeContact(synced, { changeKey: 'ck2', lastModifiedDateTime: at('10') }),
      now,
    });
    expect(plan).toMatchObject({
      kind: 'update',
      crmPatch: { syncAccounts: ['acc-1'] },
      exchangePatch: null,
      crmEditedAt: at('09'),
    });
  });
});
