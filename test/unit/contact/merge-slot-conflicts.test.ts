import { describe, expect, it } from 'vitest';
import { crmContactInputSchema } from '../../../shared/contact/crm-contact.js';
import { merge } from '../../../shared/contact/merge.js';
import { EMPTY_FIELDS } from '../../../shared/contact/normalise.js';

/**
 * Both sides edited the same list slot since the last sync (merge-slots.ts): the mutation run
 * (BENCHMARKS.md, Mutation testing) found this branch pinned by no example at FC_RUNS 10.
 */
const EARLIER = new Date('2025-06-01T10:00:00Z');
const LATER = new Date('2025-06-01T11:00:00Z');
const base = { ...EMPTY_FIELDS, givenName: 'Anna', emailAddresses: ['a@x.de', 'b@x.de'] };
const crmWith = (emails: string[]) =>
  crmContactInputSchema.parse({
    firstName: 'Anna',
    emails: emails.map((address) => ({ address, type: 'business' })),
  });
const run = (crmEmails: string[], exchangeEmails: string[], exchangeNewer: boolean) =>
  merge({
    base,
    crm: crmWith(crmEmails),
    exchange: { ...base, emailAddresses: exchangeEmails },
    crmChangedAt: exchangeNewer ? EARLIER : LATER,
    exchangeChangedAt: exchangeNewer ? LATER : EARLIER,
    defaultCountry: 'DE',
  });

describe('the same e-mail slot edited on both sides', () => {
  it('differently: one conflict, the newer edit wins on both sides', () => {
    for (const exchangeNewer of [true, false]) {
      const result = run(['crm@x.de', 'b@x.de'], ['ex@x.de', 'b@x.de'], exchangeNewer);
      const winner = exchangeNewer ? 'ex@x.de' : 'crm@x.de';
      expect(result.conflicts).toEqual([
        {
          field: 'emailAddresses[0]',
          base: 'a@x.de',
          crm: 'crm@x.de',
          exchange: 'ex@x.de',
          winner: exchangeNewer ? 'exchange' : 'crm',
        },
      ]);
      expect(result.crm.emails.map((e) => e.address)).toEqual([winner, 'b@x.de']);
      expect(result.exchange.emailAddresses).toEqual([winner, 'b@x.de']);
    }
  });

  it('alike: no conflict, nothing to write', () => {
    const result = run(['new@x.de', 'b@x.de'], ['new@x.de', 'b@x.de'], true);
    expect(result.conflicts).toEqual([]);
    expect(result.crmChanged).toBe(false);
    expect(result.exchangeChanged).toBe(false);
  });

  it('removed in the CRM, edited in Outlook: a conflict; the newer Outlook edit comes back to the CRM', () => {
    const result = run(['b@x.de'], ['ex@x.de', 'b@x.de'], true);
    expect(result.conflicts).toMatchObject([{ field: 'emailAddresses[0]', crm: null, exchange: 'ex@x.de' }]);
    expect(result.crm.emails.map((e) => e.address)).toContain('ex@x.de');
    expect(result.exchange.emailAddresses).toContain('ex@x.de');
  });

  it('removed on both sides: no conflict, gone on both', () => {
    const result = run(['b@x.de'], ['b@x.de'], true);
    expect(result.conflicts).toEqual([]);
    expect(result.crm.emails.map((e) => e.address)).toEqual(['b@x.de']);
  });
});
