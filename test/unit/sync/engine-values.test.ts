import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * The engine over the fakes with the values real users type: numbers the CRM cannot
 * canonicalise, extensions, repeated e-mails (issue 14, items 1 and 2).
 */

const MAILBOX = 'makler@example.de';

async function connected(world: World) {
  await world.addAccount();
  expect((await world.run(world.task('connect'))).outcome).toBe('done');
  expect((await world.drain()).failures).toEqual([]);
}

async function settle(world: World) {
  expect((await world.drain()).failures).toEqual([]);
}

/** An Outlook contact with values the CRM cannot canonicalise, synced into the CRM. */
async function oddOutlookContact(world: World) {
  await connected(world);
  const copy = world.exchange.userCreate(MAILBOX, {
    givenName: 'Otto',
    surname: 'Odd',
    businessPhones: ['4711'],
    mobilePhone: 'Zentrale',
    emailAddresses: [{ address: 'otto@odd.de' }, { address: 'OTTO@odd.de' }],
  });
  await settle(world);
  const [crm] = world.crm.all();
  if (!crm) throw new Error('not synced to the CRM');
  return { copy, crm };
}

describe('values Exchange holds that the CRM cannot canonicalise (item 1)', () => {
  it('reach the CRM as typed', async () => {
    const world = new World();
    const { crm } = await oddOutlookContact(world);
    expect(crm.phones).toEqual([
      { number: '4711', type: 'business' },
      { number: 'Zentrale', type: 'mobile' },
    ]);
    expect(crm.emails.map((e) => e.address)).toEqual(['otto@odd.de', 'OTTO@odd.de']);
  });

  it('an Outlook delete of such a contact stays a delete', async () => {
    const world = new World();
    const { copy, crm } = await oddOutlookContact(world);
    world.resetCounts();

    world.exchange.userDelete(MAILBOX, copy.id);
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
    expect(world.writes()).toEqual({ exchange: 0, crm: 1 });
  });

  it('a CRM edit of another field never removes them from Outlook', async () => {
    const world = new World();
    const { copy, crm } = await oddOutlookContact(world);
    world.resetCounts();

    world.crm.userUpdate(crm.id, { notes: 'Ruft nur abends zurück', company: 'Odd AG' });
    await settle(world);

    const after = await world.exchange.get(MAILBOX, copy.id);
    expect(after).toMatchObject({
      companyName: 'Odd AG',
      businessPhones: ['4711'],
      mobilePhone: 'Zentrale',
    });
    expect(after?.emailAddresses?.map((e) => e.address)).toEqual(['otto@odd.de', 'OTTO@odd.de']);
    expect(world.writes()).toEqual({ exchange: 1, crm: 0 });
  });

  it('an Outlook edit of such a value reaches the CRM, in its entry', async () => {
    const world = new World();
    const { copy, crm } = await oddOutlookContact(world);

    world.exchange.userUpdate(MAILBOX, copy.id, { businessPhones: ['4712'] });
    await settle(world);
    expect(world.crm.peek(crm.id)?.phones).toEqual([
      { number: '4712', type: 'business' },
      { number: 'Zentrale', type: 'mobile' },
    ]);

    world.exchange.userUpdate(MAILBOX, copy.id, { businessPhones: [], mobilePhone: null });
    await settle(world);
    expect(world.crm.peek(crm.id)?.phones).toEqual([]);
    expect((await world.exchange.get(MAILBOX, copy.id))?.businessPhones).toEqual([]);
  });

  it('a CRM removal of such a value removes it from Outlook', async () => {
    const world = new World();
    const { copy, crm } = await oddOutlookContact(world);

    world.crm.userUpdate(crm.id, { phones: [{ number: 'Zentrale', type: 'mobile' }] });
    await settle(world);

    const after = await world.exchange.get(MAILBOX, copy.id);
    expect(after?.businessPhones).toEqual([]);
    expect(after?.mobilePhone).toBe('Zentrale');
  });

  it('a number the CRM cannot canonicalise, typed in the CRM, still never goes to Outlook', async () => {
    const world = new World();
    await connected(world);
    world.crm.userCreate({
      lastName: 'Neu',
      phones: [{ number: '4711', type: 'business' }],
      syncAccounts: ['acc-1'],
    });
    await settle(world);
    expect(world.exchange.all(MAILBOX).map((c) => c.businessPhones)).toEqual([[]]);
  });
});

describe('extensions are never lost (item 2)', () => {
  it('an extension typed in Outlook reaches the CRM with the number', async () => {
    const world = new World();
    await connected(world);
    world.exchange.userCreate(MAILBOX, { surname: 'Durchwahl', businessPhones: ['030 1234567 ext. 12'] });
    await settle(world);
    expect(world.crm.all().map((c) => c.phones)).toEqual([
      [{ number: '+49301234567 x12', type: 'business' }],
    ]);
    world.resetCounts();
    await world.run(world.reconcile());
    await settle(world);
    expect(world.writes()).toEqual({ exchange: 0, crm: 0 });
  });

  it('a CRM number with an extension reaches Outlook in international form with the extension', async () => {
    const world = new World();
    await connected(world);
    const crm = world.crm.userCreate({
      lastName: 'Zentrale',
      phones: [
        { number: '+49 (0)30 1234567 Durchwahl 12', type: 'business' },
        { number: '089 7654321, 3', type: null },
      ],
      syncAccounts: ['acc-1'],
    });
    await settle(world);
    const [copy] = world.exchange.all(MAILBOX);
    expect(copy?.businessPhones).toEqual(['+49301234567 x12', '+49897654321 x3']);
    expect(world.crm.peek(crm.id)?.version).toBe(crm.version);
  });
});
