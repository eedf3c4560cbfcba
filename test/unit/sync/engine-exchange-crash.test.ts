import { describe, expect, it } from 'vitest';
import type { CrmAddress } from '../../../shared/contact/index.js';
import { World } from './support/world.js';

/**
 * Soak seed 2030296951 (issue 14): the sync pushes a CRM edit to Outlook and the worker dies
 * after the Exchange write, before the mirror write. The copy then holds the sync's own write
 * at a changeKey the link does not know; the retry must not read it as an Outlook edit. Before
 * the fix it did: an `other` address the CRM user had removed meanwhile came back into the CRM
 * (merged against the old snapshot, the copy's address looked like one Outlook added), and a
 * CRM delete meanwhile was undone (edit beats delete).
 */

const MAILBOX = 'makler@example.de';
const OTHER: CrmAddress = {
  type: 'other',
  street: 'Ringweg 7',
  postalCode: '80331',
  city: 'München',
  country: 'DE',
};
const TWO: CrmAddress[] = [
  { type: 'business', street: null, postalCode: '10115', city: null, country: null },
  { type: 'private', street: 'Hauptstr. 1', postalCode: '10115', city: null, country: 'DE' },
];

async function settle(world: World) {
  expect((await world.drain()).failures).toEqual([]);
}

/** A linked pair whose CRM edit (an `other` address) was written to Outlook by a worker that then died. */
async function crashedAfterExchangeWrite() {
  const world = new World();
  await world.addAccount();
  expect((await world.run(world.task('connect'))).outcome).toBe('done');
  await settle(world);
  const crm = world.crm.userCreate({ firstName: 'Bernd', lastName: 'Berg', syncAccounts: ['acc-1'] });
  await settle(world);
  world.inbox.length = 0;
  world.crm.userUpdate(crm.id, { addresses: [OTHER] });
  world.exchange.hooks.onEnter('update', () => {
    world.exchange.hooks.onEnter('update', null);
    world.mirror.hooks.failNext('put', 'transient');
  });
  const message = world.crmChanged(crm.id, null);
  await expect(world.run(message)).rejects.toThrow();
  const [copy] = world.exchange.all(MAILBOX);
  expect(copy?.otherAddress).toMatchObject({ street: 'Ringweg 7' });
  world.inbox.length = 0; // the notifications of the write come later, or not at all
  return { world, crmId: crm.id, copyId: copy?.id ?? '', message };
}

describe('a crash after the sync wrote a CRM edit into Outlook, before the mirror write', () => {
  it('an address the CRM user removed meanwhile stays removed (the seed)', async () => {
    const { world, crmId, message } = await crashedAfterExchangeWrite();
    world.crm.userUpdate(crmId, { addresses: TWO });
    await world.run(message); // the queue's redelivery
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.crm.peek(crmId)?.addresses).toEqual(TWO);
    expect(world.exchange.all(MAILBOX)).toMatchObject([
      {
        otherAddress: { street: null, city: null },
        businessAddress: { postalCode: '10115' },
        homeAddress: { street: 'Hauptstr. 1' },
      },
    ]);
  });

  it('the same when the notification of the write comes before the redelivery', async () => {
    const { world, crmId, message } = await crashedAfterExchangeWrite();
    world.crm.userUpdate(crmId, { addresses: TWO });
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());
    await world.run(message);
    await settle(world);

    expect(world.crm.peek(crmId)?.addresses).toEqual(TWO);
    expect(world.exchange.all(MAILBOX)).toMatchObject([{ otherAddress: { street: null, city: null } }]);
  });

  it('a CRM delete meanwhile stays a delete', async () => {
    const { world, crmId, message } = await crashedAfterExchangeWrite();
    world.crm.userDelete(crmId);
    await world.run(message).catch(() => undefined);
    await settle(world);
    await world.run(world.reconcile());
    await settle(world);

    expect(world.crm.all()).toEqual([]);
    expect(world.exchange.all(MAILBOX)).toEqual([]);
  });

  it('an Outlook edit after the crash still reaches the CRM', async () => {
    const { world, crmId, copyId, message } = await crashedAfterExchangeWrite();
    world.exchange.userUpdate(MAILBOX, copyId, { jobTitle: 'Notar' });
    await world.run(message);
    await settle(world);

    expect(world.crm.peek(crmId)).toMatchObject({ position: 'Notar', addresses: [OTHER] });
    expect(world.exchange.all(MAILBOX)).toMatchObject([
      { jobTitle: 'Notar', otherAddress: { street: 'Ringweg 7' } },
    ]);
  });

  it('an Outlook edit merged into the CRM is not lost when the CRM write fails after the mark', async () => {
    const world = new World();
    await world.addAccount();
    expect((await world.run(world.task('connect'))).outcome).toBe('done');
    await settle(world);
    const crm = world.crm.userCreate({ firstName: 'Bernd', lastName: 'Berg', syncAccounts: ['acc-1'] });
    await settle(world);
    const [copy] = world.exchange.all(MAILBOX);
    world.inbox.length = 0;
    world.crm.userUpdate(crm.id, { position: 'Notar' });
    world.exchange.userUpdate(MAILBOX, copy?.id ?? '', {
      otherAddress: { street: 'Ringweg 7', city: 'München' },
    });
    world.crm.hooks.failNext('update', 'transient');
    await settle(world);

    expect(world.crm.peek(crm.id)).toMatchObject({
      position: 'Notar',
      addresses: [{ type: 'other', street: 'Ringweg 7', city: 'München' }],
    });
    expect(world.exchange.all(MAILBOX)).toMatchObject([
      { jobTitle: 'Notar', otherAddress: { street: 'Ringweg 7' } },
    ]);
  });
});
