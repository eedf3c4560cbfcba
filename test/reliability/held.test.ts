import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type CrmContact,
  type CrmContactInput,
  crmContactSchema,
  crmContent,
  type ExchangeContact,
  exchangeFieldsOf,
  graphContactSchema,
  projectToExchange,
} from '../../shared/contact/index.js';
import { bothSides } from '../e2e/sync/helpers.js';
import {
  emptyHeld,
  heldWindows,
  type OutlookHeld,
  recordCrmHeld,
  recordOutlookDelete,
  recordOutlookHeld,
} from './model/held.js';

/**
 * The convergence comparison of a linked pair with the values only Exchange can hold (a number
 * the CRM cannot canonicalise, an e-mail address twice: shared/contact/held.ts), as the
 * whole-stack model (model/held.ts, model/invariants.ts) and the end-to-end helpers
 * (test/e2e/sync/helpers.ts `bothSides`) make it. Each case is a pair as the sync might leave
 * it; the old comparison (the CRM's projection without held values) is shown beside it.
 */
const COUNTRY = { defaultCountry: 'DE' };

function crm(input: Partial<CrmContactInput>): CrmContact {
  return crmContactSchema.parse({
    id: 'c1',
    version: 3,
    createdAt: '2026-12-02T09:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
    firstName: 'r000000t0 Anna',
    lastName: 'Berg',
    syncAccounts: ['a1'],
    ...input,
  });
}

function copy(fields: Record<string, unknown>): ExchangeContact {
  return {
    ...graphContactSchema.parse({ id: 'x1', givenName: 'r000000t0 Anna', surname: 'Berg', ...fields }),
    id: 'x1',
  } as ExchangeContact;
}

/** The model's comparison (invariants.ts): equal when the pair holds the same mapped content. */
function modelAgrees(held: OutlookHeld, x: ExchangeContact, c: CrmContact): boolean {
  const have = exchangeFieldsOf(x, 'DE');
  const want = projectToExchange(crmContent(c), { ...COUNTRY, held: heldWindows(held, have) }).fields;
  return isDeepStrictEqual(want, have);
}

/** The comparison before: the CRM's projection without any held value. */
function oldAgrees(x: ExchangeContact, c: CrmContact): boolean {
  return isDeepStrictEqual(projectToExchange(crmContent(c), COUNTRY).fields, exchangeFieldsOf(x, 'DE'));
}

const typedInOutlook = (body: Record<string, unknown>) => {
  const held = emptyHeld();
  recordOutlookHeld(held, body);
  return held;
};

describe('the linked-pair comparison with values only Exchange holds', () => {
  const phone4711 = { phones: [{ number: '4711', type: 'business' as const }] };

  it('fails when the sync dropped from Outlook a number the Outlook user typed and the CRM holds (passed before)', () => {
    const held = typedInOutlook({ businessPhones: ['4711'] });
    const x = copy({ businessPhones: [] }); // one CRM edit of the notes wrote businessPhones: []
    const c = crm(phone4711);
    expect(oldAgrees(x, c)).toBe(true); // the gap: the old comparison saw nothing wrong
    expect(modelAgrees(held, x, c)).toBe(false);
    const sides = bothSides(x, c, { held: [{ businessPhones: ['4711'] }] });
    expect(sides.crm.businessPhones).toEqual(['4711']);
    expect(sides.outlook.businessPhones).toEqual([]);
    // Without the typed value bothSides compares as before, and agrees wrongly.
    const before = bothSides(x, c);
    expect(before.crm).toEqual(before.outlook);
  });

  it('agrees when Outlook keeps such a number and the CRM holds it (a false alarm before)', () => {
    const held = typedInOutlook({ businessPhones: ['4711', '030 1234567 ext. 12'] });
    const x = copy({ businessPhones: ['4711', '030 1234567 ext. 12'] });
    const c = crm({
      phones: [
        { number: '4711', type: 'business' },
        { number: '+49301234567 x12', type: 'business' },
      ],
    });
    expect(oldAgrees(x, c)).toBe(false);
    expect(modelAgrees(held, x, c)).toBe(true);
    const sides = bothSides(x, c, { held: [{ businessPhones: ['4711'] }] });
    expect(sides.crm).toEqual(sides.outlook);
  });

  it('fails when the sync wrote a number it cannot canonicalise that only the CRM user typed', () => {
    const x = copy({ businessPhones: ['4711'] });
    const c = crm(phone4711);
    expect(modelAgrees(emptyHeld(), x, c)).toBe(false);
    const sides = bothSides(x, c);
    expect(sides.crm).not.toEqual(sides.outlook);
  });

  it('fails when Outlook still holds the number after the CRM user removed it', () => {
    const held = typedInOutlook({ businessPhones: ['4711'] });
    recordCrmHeld(held, { phones: [] });
    const c = crm({ phones: [] });
    expect(modelAgrees(held, copy({ businessPhones: ['4711'] }), c)).toBe(false);
    expect(modelAgrees(held, copy({ businessPhones: [] }), c)).toBe(true);
  });

  it('removed and typed back in the CRM: Outlook may hold it or not (timing), never needs to', () => {
    const held = typedInOutlook({ businessPhones: ['4711'] });
    recordCrmHeld(held, { phones: [] });
    recordCrmHeld(held, phone4711);
    const c = crm(phone4711);
    expect(modelAgrees(held, copy({ businessPhones: ['4711'] }), c)).toBe(true);
    expect(modelAgrees(held, copy({ businessPhones: [] }), c)).toBe(true);
  });

  it('deleted in Outlook: a copy there after the drain (restored, or made again) may lack the number', () => {
    // Soak seed 1051583329 (sequence 5 of 6): 4711 typed as a home phone, the copy deleted in
    // Outlook; after the drain a copy made from the CRM was linked, without 4711.
    const held = typedInOutlook({ homePhones: ['4711', '+49301234567'] });
    recordOutlookDelete(held);
    const c = crm({
      phones: [
        { number: '4711', type: 'private' },
        { number: '+49301234567', type: 'private' },
      ],
    });
    expect(modelAgrees(held, copy({ homePhones: ['+49301234567'] }), c)).toBe(true);
    expect(modelAgrees(held, copy({ homePhones: ['4711', '+49301234567'] }), c)).toBe(true);
  });

  it('an e-mail address typed twice stays twice, but the sync may not add a second copy', () => {
    const address = 'anna@berg.example';
    const twice = [
      { address, name: 'Anna' },
      { address: address.toUpperCase(), name: 'Anna' },
    ];
    const c = crm({
      emails: [
        { address, type: 'business' },
        { address: address.toUpperCase(), type: 'business' },
      ],
    });
    const heldTwice = typedInOutlook({ emailAddresses: twice });
    expect(modelAgrees(heldTwice, copy({ emailAddresses: twice }), c)).toBe(true);
    expect(modelAgrees(heldTwice, copy({ emailAddresses: twice.slice(0, 1) }), c)).toBe(false);
    const heldOnce = typedInOutlook({ emailAddresses: twice.slice(0, 1) });
    expect(modelAgrees(heldOnce, copy({ emailAddresses: twice }), c)).toBe(false);
  });
});
