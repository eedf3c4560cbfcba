import { describe, expect, it } from 'vitest';
import { crmContactInputSchema } from '../../../shared/contact/index.js';
import { contactWhy, searchContacts } from '../../../shared/service/contact-why.js';
import { World } from '../sync/support/world.js';

/** The why-view over the real engine with in-memory ports: what reached Outlook, what stayed back and why. */
describe('contact search and why-view', () => {
  it('finds linked contacts by name or e-mail, and tagged ones that never reached Outlook', async () => {
    const world = new World();
    const account = await world.addAccount();
    const input = (patch: Record<string, unknown>) =>
      crmContactInputSchema.parse({ syncAccounts: [account.id], ...patch });
    const linked = await world.crm.create(
      input({
        firstName: 'Klara',
        lastName: 'Zurück',
        emails: [1, 2, 3, 4].map((n) => ({ address: `klara${n}@kunden.example`, type: null })),
        notes: 'Schlüssel beim Hausmeister',
      }),
      'k1',
    );
    await world.drain();
    // Tagged, but not (yet) in Outlook: no link.
    const stuck = await world.crm.create(input({ firstName: 'Otto', lastName: 'Offen' }), 'k2');
    await world.crm.create(crmContactInputSchema.parse({ firstName: 'Otto', lastName: 'Fremd' }), 'k3');

    expect((await searchContacts(world.deps, account.id, 'KLARA3')).map((h) => h.crmId)).toEqual([linked.id]);
    expect((await searchContacts(world.deps, account.id, 'otto')).map((h) => h.crmId)).toEqual([stuck.id]);
    expect(await searchContacts(world.deps, account.id, '   ')).toEqual([]);

    const why = await contactWhy(world.deps, account, linked.id);
    expect(why?.exchangeFields?.emailAddresses).toEqual([
      'klara1@kunden.example',
      'klara2@kunden.example',
      'klara3@kunden.example',
    ]);
    expect(why?.keptBack.map((k) => [k.field, k.value, k.reason])).toEqual([
      ['emails', 'klara4@kunden.example', 'limitReached'],
      ['notes', 'Schlüssel beim Hausmeister', 'notesNeverSynced'],
    ]);
    expect(why?.log.map((e) => e.action)).toContain('createdInExchange');

    const unlinked = await contactWhy(world.deps, account, stuck.id);
    expect(unlinked?.link).toBeNull();
    expect(unlinked?.exchangeFields).toBeNull();
    expect(await contactWhy(world.deps, account, 'crm-of-someone-else')).toBeNull();
  });
});
