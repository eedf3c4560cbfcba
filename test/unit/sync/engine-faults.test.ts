import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../../shared/errors.js';
import { World } from './support/world.js';

/** Crashes between a remote create and the mirror write, and the mass-delete guard. */

const MAILBOX = 'makler@example.de';

async function linkedCount(world: World): Promise<number> {
  let n = 0;
  for await (const _ of world.mirror.list('acc-1')) n++;
  return n;
}

describe('crash between the remote create and the mirror write', () => {
  it('CRM → Exchange: the retry adopts the created copy instead of creating a second one', async () => {
    const world = new World();
    await world.addAccount();
    const contact = world.crm.userCreate({ firstName: 'Carl', lastName: 'Crash', syncAccounts: ['acc-1'] });
    world.inbox.length = 0;
    world.exchange.hooks.crashAfterWrite('create');

    const message = world.crmChanged(contact.id, contact.version);
    const error = await world.run(message).catch((e: unknown) => e);
    expect(isSyncError(error, 'transient')).toBe(true);
    expect((await world.account()).pendingCreates).toMatchObject([
      { side: 'exchange', sourceId: contact.id },
    ]);

    await world.run(message); // the queue's redelivery
    await world.drain();

    expect(world.exchange.all(MAILBOX)).toHaveLength(1);
    expect(world.crm.all()).toHaveLength(1);
    expect(await linkedCount(world)).toBe(1);
    expect((await world.account()).pendingCreates).toEqual([]);
  });

  async function crashedCrmCreate(world: World) {
    await world.addAccount();
    world.exchange.userCreate(MAILBOX, {
      givenName: 'Erna',
      surname: 'Absturz',
      mobilePhone: '+491711111111',
    });
    world.inbox.length = 0;
    world.crm.hooks.crashAfterWrite('create');
    const message = world.exchangeChanged();
    await expect(world.run(message)).rejects.toThrow(/connection lost/);
    return message;
  }

  it('Exchange → CRM: the redelivered hint of a failed delta round is not skipped as covered', async () => {
    const world = new World();
    const message = await crashedCrmCreate(world);
    world.inbox.length = 0; // the CRM's created event is looked at in a test below
    const retry = await world.run(message);
    expect(retry.outcome, retry.reason).toBe('done');
    expect(await linkedCount(world)).toBe(1);
  });

  it('Exchange → CRM: an Outlook edit between the crash and the retry still reaches the CRM', async () => {
    // The retried create returns what the first attempt made (from the old Outlook content);
    // the link must not claim that the CRM already holds the edited content.
    const world = new World();
    const message = await crashedCrmCreate(world);
    const [erna] = world.exchange.all(MAILBOX);
    world.exchange.userUpdate(MAILBOX, String(erna!.id), { jobTitle: 'Maklerin' });
    await world.run(message);
    await world.drain();
    await world.run(world.reconcile());
    const [inCrm] = world.crm.all();
    expect(world.crm.all()).toHaveLength(1);
    expect(inCrm?.position).toBe('Maklerin');
  });

  it('Exchange → CRM: the next reconcile finds the contact the first attempt made', async () => {
    const world = new World();
    await crashedCrmCreate(world);
    world.inbox.length = 0;
    await world.run(world.reconcile());
    await world.drain();

    expect(world.crm.all()).toHaveLength(1);
    expect(world.exchange.all(MAILBOX)).toHaveLength(1);
    expect(await linkedCount(world)).toBe(1);
    expect((await world.account()).pendingCreates).toEqual([]);
  });

  it('Exchange → CRM: the CRM created event handled before the retry does not make a second Outlook copy', async () => {
    const world = new World();
    const message = await crashedCrmCreate(world);
    // The redelivery waits for the queue's back-off; the CRM's webhook event is faster.
    await world.drain();
    await world.run(message);
    await world.run(world.reconcile());
    await world.drain();

    expect(world.exchange.all(MAILBOX)).toHaveLength(1);
    expect(world.crm.all()).toHaveLength(1);
    expect(await linkedCount(world)).toBe(1);
  });
});

describe('edit beats delete', () => {
  it('a crash while re-creating a deleted Outlook copy (CRM edited meanwhile) is resumed, not wedged', async () => {
    const world = new World();
    await world.addAccount();
    const outlook = world.exchange.userCreate(MAILBOX, { givenName: 'Rita', surname: 'Reborn' });
    await world.drain();
    const [crm] = world.crm.all();
    if (!crm) throw new Error('not synced');
    world.exchange.userDelete(MAILBOX, outlook.id);
    world.crm.userUpdate(crm.id, { lastName: 'Meier' });
    world.inbox.length = 0;
    world.exchange.hooks.crashAfterWrite('create');
    // Whether the copy is gone or moved is the delta round's decision (it sees every folder).
    const message = world.exchangeChanged();
    await expect(world.run(message)).rejects.toThrow(/connection lost/);

    world.inbox.length = 0;
    await world.run(message); // the redelivery
    await world.drain();

    expect(world.exchange.all(MAILBOX)).toMatchObject([{ surname: 'Meier' }]);
    expect(await linkedCount(world)).toBe(1);
    expect((await world.account()).pendingCreates).toEqual([]);
  });

  it('an Outlook edit after the CRM deleted an Outlook-born contact brings it back to the CRM', async () => {
    const world = new World();
    await world.addAccount();
    const outlook = world.exchange.userCreate(MAILBOX, { givenName: 'Olga', surname: 'Outlook' });
    await world.drain();
    const [born] = world.crm.all();
    if (!born) throw new Error('not synced');
    world.crm.userDelete(born.id);
    world.exchange.userUpdate(MAILBOX, outlook.id, { jobTitle: 'Architektin' });
    const messages = world.inbox.splice(0).reverse(); // the Outlook edit is seen before the CRM delete
    world.inbox.push(...messages);
    const { failures } = await world.drain();

    expect(failures.map(String)).toEqual([]);
    expect(world.crm.all()).toMatchObject([
      { lastName: 'Outlook', position: 'Architektin', syncAccounts: ['acc-1'] },
    ]);
    expect(world.exchange.all(MAILBOX)).toHaveLength(1);
    expect(await linkedCount(world)).toBe(1);
    expect((await world.account()).pendingCreates).toEqual([]);
  });
});

describe('mass-delete guard', () => {
  async function deleteEleven(world: World) {
    await world.addAccount();
    for (let i = 0; i < 12; i++)
      world.exchange.userCreate(MAILBOX, { givenName: 'Kontakt', surname: `Nr${i}` });
    await world.run(world.task('connect'));
    await world.drain();
    expect(await linkedCount(world)).toBe(12);
    for (const contact of world.exchange.all(MAILBOX).slice(0, 11))
      world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    world.resetCounts();
    await world.run(world.exchangeChanged());
    await world.drain();
  }

  const tagged = (world: World) => world.crm.all().filter((c) => c.syncAccounts.includes('acc-1')).length;

  it('holds 11 of 12 deletes, then carries them out once confirmed', async () => {
    const world = new World();
    await deleteEleven(world);
    expect(world.writes().crm).toBe(0);
    expect(tagged(world)).toBe(12);
    expect((await world.account()).status.heldDeletes).toBe(11);

    await world.editAccount('acc-1', (a) => ({ ...a, status: { ...a.status, heldDeletesConfirmed: true } }));
    await world.run(world.exchangeChanged());
    await world.drain();

    expect(tagged(world)).toBe(1);
    expect(world.crm.all()).toHaveLength(12); // unlink is the default: contacts stay, untagged
    expect(await linkedCount(world)).toBe(1);
    expect((await world.account()).status).toMatchObject({ heldDeletes: 0, heldDeletesConfirmed: false });
  });

  it('keeps the held count visible when the mailbox has a second folder', async () => {
    const world = new World();
    await world.addAccount();
    world.exchange.addFolder(MAILBOX, 'Privat');
    for (let i = 0; i < 12; i++) world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` });
    await world.run(world.task('connect'));
    await world.drain();
    for (const contact of world.exchange.all(MAILBOX).slice(0, 11))
      world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());

    expect(tagged(world)).toBe(12);
    expect((await world.account()).status.heldDeletes).toBe(11);
  });

  it('carries out confirmed deletes in a folder other than the default one', async () => {
    const world = new World();
    await world.addAccount();
    const folder = world.exchange.addFolder(MAILBOX, 'Kunden');
    for (let i = 0; i < 12; i++)
      world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` }, folder);
    await world.run(world.task('connect'));
    await world.drain();
    for (const contact of world.exchange.all(MAILBOX).slice(0, 11))
      world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());
    expect(tagged(world)).toBe(12);

    await world.editAccount('acc-1', (a) => ({ ...a, status: { ...a.status, heldDeletesConfirmed: true } }));
    await world.run(world.exchangeChanged());

    expect(tagged(world)).toBe(1);
  });
});
