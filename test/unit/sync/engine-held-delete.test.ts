import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Soak seed 1051583329 (issue 14, item 1): a CRM contact synced to Outlook, the Outlook user
 * types a number the CRM cannot canonicalise (`4711`, held) and then deletes the copy. The
 * delete must stay a delete: the CRM follows the account's exchangeDeleteAction, the copy is
 * not made again from the CRM.
 */

const MAILBOX = 'makler@example.de';

async function settle(world: World) {
  expect((await world.drain()).failures).toEqual([]);
}

async function syncedCrmContact(world: World, exchangeDeleteAction: 'unlink' | 'delete' = 'unlink') {
  await world.addAccount({ exchangeDeleteAction });
  expect((await world.run(world.task('connect'))).outcome).toBe('done');
  await settle(world);
  const crm = world.crm.userCreate({
    firstName: 'Bernd',
    middleName: 'M.',
    phones: [
      { number: '+49891112223', type: 'business' },
      { number: '+491717654321', type: 'mobile' },
    ],
    syncAccounts: ['acc-1'],
  });
  await settle(world);
  const [copy] = world.exchange.all(MAILBOX);
  if (!copy) throw new Error('not synced to Outlook');
  return { crm, copy };
}

/** The worker dies after its next CRM update and before the mirror write that follows it. */
function crashBeforeMirrorWriteOfCrmUpdate(world: World) {
  world.crm.hooks.onEnter('update', () => {
    world.crm.hooks.onEnter('update', null);
    world.mirror.hooks.failNext('put', 'transient');
  });
}

describe('an Outlook delete of a contact holding a value only Exchange keeps', () => {
  it('stays a delete (unlink): not made again in Outlook', async () => {
    const world = new World();
    const { crm, copy } = await syncedCrmContact(world);
    world.exchange.userUpdate(MAILBOX, copy.id, { homePhones: ['4711', '+49301234567'] });
    await settle(world);
    expect(world.crm.peek(crm.id)?.phones.map((p) => p.number)).toContain('4711');

    world.exchange.userDelete(MAILBOX, copy.id);
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
  });

  it('stays a delete when the worker crashed before the mirror write of the Outlook edit', async () => {
    const world = new World();
    const { crm, copy } = await syncedCrmContact(world);
    crashBeforeMirrorWriteOfCrmUpdate(world);
    world.exchange.userUpdate(MAILBOX, copy.id, { homePhones: ['4711', '+49301234567'] });
    await world.drain();
    await settle(world);
    expect(world.crm.peek(crm.id)?.phones.map((p) => p.number)).toContain('4711');

    world.exchange.userDelete(MAILBOX, copy.id);
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
  });

  it('stays a delete after the whole Outlook edit of the seed', async () => {
    const world = new World();
    const { crm, copy } = await syncedCrmContact(world);
    world.exchange.userUpdate(MAILBOX, copy.id, {
      middleName: 'M.',
      surname: null,
      companyName: null,
      jobTitle: 'Notar',
      birthday: '1980-05-01T00:00:00Z',
      emailAddresses: [{ address: 'b.3@b.example' }, { address: 'b.0@b.example' }],
      businessPhones: ['+49891112223'],
      homePhones: ['4711', '+49301234567'],
      mobilePhone: '0171 7654321',
      businessHomePage: 'https://berg.example',
      businessAddress: { street: 'Ringweg 7', postalCode: '80331', city: null, countryOrRegion: null },
      homeAddress: { street: null, postalCode: '80331', city: 'Berlin', countryOrRegion: null },
      otherAddress: { street: 'Hauptstr. 1', postalCode: '80331', city: 'München', countryOrRegion: 'DE' },
      personalNotes: 'nur Outlook',
      nickName: 'Bernie',
    });
    await settle(world);
    expect(world.crm.peek(crm.id)?.phones.map((p) => p.number)).toContain('4711');

    world.exchange.userSoftDelete(MAILBOX, copy.id);
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
  });

  it('stays a delete when Outlook deleted between a crash before the mirror write and the retry', async () => {
    const world = new World();
    const { crm, copy } = await syncedCrmContact(world);
    world.inbox.length = 0;
    world.exchange.userUpdate(MAILBOX, copy.id, { homePhones: ['4711', '+49301234567'] });
    crashBeforeMirrorWriteOfCrmUpdate(world);
    const message = world.exchangeChanged();
    await expect(world.run(message)).rejects.toThrow();
    expect(world.crm.peek(crm.id)?.phones.map((p) => p.number)).toContain('4711');

    world.exchange.userDelete(MAILBOX, copy.id);
    await world.run(message).catch(() => undefined); // the queue's redelivery
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
  });

  it('so does any Outlook edit: a delete between the crash and the retry stays a delete', async () => {
    const world = new World();
    const { crm, copy } = await syncedCrmContact(world);
    world.inbox.length = 0;
    world.exchange.userUpdate(MAILBOX, copy.id, { homePhones: ['+49301234567'] });
    crashBeforeMirrorWriteOfCrmUpdate(world);
    const message = world.exchangeChanged();
    await expect(world.run(message)).rejects.toThrow();
    expect(world.crm.peek(crm.id)?.phones.map((p) => p.number)).toContain('+49301234567');

    world.exchange.userDelete(MAILBOX, copy.id);
    await world.run(message).catch(() => undefined); // the queue's redelivery
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
  });

  async function crashedThenDeleted(world: World, exchangeDeleteAction: 'unlink' | 'delete') {
    const { crm, copy } = await syncedCrmContact(world, exchangeDeleteAction);
    world.inbox.length = 0;
    world.exchange.userUpdate(MAILBOX, copy.id, { homePhones: ['4711', '+49301234567'] });
    crashBeforeMirrorWriteOfCrmUpdate(world);
    const message = world.exchangeChanged();
    await expect(world.run(message)).rejects.toThrow();
    world.exchange.userDelete(MAILBOX, copy.id);
    return { crm, message };
  }

  it('with exchangeDeleteAction delete, the CRM contact goes', async () => {
    const world = new World();
    const { crm, message } = await crashedThenDeleted(world, 'delete');
    await world.run(message).catch(() => undefined);
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)).toBeUndefined();
  });

  it('a CRM user edit after the crash still beats the delete', async () => {
    const world = new World();
    const { crm, message } = await crashedThenDeleted(world, 'unlink');
    world.crm.userUpdate(crm.id, { position: 'Notar' });
    await world.run(message).catch(() => undefined);
    await settle(world);

    expect(world.exchange.all(MAILBOX)).toMatchObject([{ jobTitle: 'Notar' }]);
    expect(world.crm.peek(crm.id)?.syncAccounts).toEqual(['acc-1']);
  });
});
