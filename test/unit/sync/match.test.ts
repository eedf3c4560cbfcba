import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneMatchPerCrmContact } from '../../../shared/sync/match.js';
import { type PairPlan, planExchangeUpsert } from '../../../shared/sync/plan.js';
import { account, crmContact, exchangeContact } from './support/builders.js';

/** oneMatchPerCrmContact: one link per CRM contact, the closest Outlook contact, whatever the order. */

const now = new Date('2025-03-01T12:00:00Z');
const gerd = crmContact({ id: 'c1', lastName: 'Gleich', emails: [{ address: 'g@x.de', type: null }] });
const dora = crmContact({ id: 'c2', lastName: 'Dora', emails: [{ address: 'd@x.de', type: null }] });
const outlook = (id: string, email: string) =>
  exchangeContact({ surname: id, emailAddresses: [email] }, { id, changeKey: `ck-${id}` });
const contacts = [
  { exchange: outlook('x3', 'g@x.de'), crm: gerd },
  { exchange: outlook('x1', 'g@x.de'), crm: gerd },
  { exchange: outlook('x2', 'd@x.de'), crm: dora },
  { exchange: outlook('x4', 'G@x.de'), crm: gerd },
  { exchange: outlook('x5', 'n@x.de'), crm: null },
];
const planOf = ({ exchange, crm }: (typeof contacts)[number], match = true): PairPlan =>
  planExchangeUpsert({ account: account(), link: null, crm: match ? crm : null, exchange, now });

function decide(order: readonly (typeof contacts)[number][]) {
  const plans = oneMatchPerCrmContact(
    order.map((c) => planOf(c)),
    (i) => planOf(order[i]!, false),
  );
  return Object.fromEntries(
    plans.map((plan, i) => [order[i]!.exchange.id, plan.kind === 'update' ? plan.crm.id : plan.kind]),
  );
}

describe('oneMatchPerCrmContact', () => {
  it('links each CRM contact to one Outlook contact (equally close: the lowest id); the others are created in the CRM', () => {
    expect(decide(contacts)).toEqual({
      x1: 'c1',
      x2: 'c2',
      x3: 'createInCrm',
      x4: 'createInCrm',
      x5: 'createInCrm',
    });
  });

  it('decides the same in any order', () => {
    const expected = decide(contacts);
    fc.assert(
      fc.property(fc.shuffledSubarray(contacts, { minLength: contacts.length }), (order) => {
        expect(decide(order)).toEqual(expected);
      }),
    );
  });

  it('prefers the Outlook contact with the fewest fields in conflict over a lower id', () => {
    const same = exchangeContact({ surname: 'Gleich', emailAddresses: ['g@x.de'] }, { id: 'x9' });
    const order = [...contacts, { exchange: same, crm: gerd }];
    const plans = oneMatchPerCrmContact(
      order.map((c) => planOf(c)),
      (i) => planOf(order[i]!, false),
    );
    expect(plans.filter((p) => p.kind === 'update').map((p) => p.kind === 'update' && p.exchange.id)).toEqual(
      ['x2', 'x9'],
    );
  });

  it('leaves plans that are not first matches alone', () => {
    const plans = contacts.map((c) => planOf(c, false));
    expect(oneMatchPerCrmContact(plans, () => ({ kind: 'noop', reason: 'never called' }))).toEqual(plans);
  });
});
