import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/** Races between the two sides that real users cause (issue 14, items 5, 7 and 9). */

const MAILBOX = 'makler@example.de';

async function settle(world: World, pick?: (size: number) => number) {
  expect((await world.drain(pick)).failures).toEqual([]);
}

async function syncedPair(world: World) {
  await world.addAccount();
  const crm = world.crm.userCreate({
    firstName: 'Tina',
    lastName: 'Tag',
    emails: [{ address: 'tina@tag.de', type: 'business' }],
    notes: 'Stammkundin',
    syncAccounts: ['acc-1'],
  });
  expect((await world.run(world.task('connect'))).outcome).toBe('done');
  await settle(world);
  const [copy] = world.exchange.all(MAILBOX);
  if (!copy) throw new Error('not synced');
  return { crm, copy };
}

describe('a tag removed while Outlook edits the copy (item 5)', () => {
  const orders = [
    ['the tag removal first', () => 0],
    ['the Outlook edit first', (size: number) => size - 1],
  ] as const;
  for (const [name, pick] of orders) {
    it(`the edit reaches the CRM, then the copy is deleted: ${name}`, async () => {
      const world = new World();
      const { crm, copy } = await syncedPair(world);

      world.crm.untag(crm.id, 'acc-1');
      world.exchange.userUpdate(MAILBOX, copy.id, { jobTitle: 'Architektin', surname: 'Tag-Neu' });
      await settle(world, pick);
      await world.run(world.reconcile());
      await settle(world);

      expect(world.crm.peek(crm.id)).toMatchObject({
        position: 'Architektin',
        lastName: 'Tag-Neu',
        notes: 'Stammkundin',
        syncAccounts: [],
      });
      expect(world.exchange.all(MAILBOX)).toEqual([]);
      expect(await world.mirror.getByCrmId('acc-1', crm.id)).toBeNull();
    });
  }

  it('a tag removal with no Outlook edit deletes the copy and leaves the CRM contact as it is', async () => {
    const world = new World();
    const { crm } = await syncedPair(world);
    const untagged = world.crm.untag(crm.id, 'acc-1');
    await settle(world);
    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(world.crm.peek(crm.id)).toEqual(untagged);
  });
});

describe('the action log of a tag removal that delivered an Outlook edit', () => {
  it('names the fields that reached the CRM, then the delete', async () => {
    const world = new World();
    const { crm, copy } = await syncedPair(world);
    world.exchange.userUpdate(MAILBOX, copy.id, { jobTitle: 'Architektin' });
    world.crm.untag(crm.id, 'acc-1');
    await settle(world);
    const log = await world.mirror.readLog('acc-1', `crm:${crm.id}`);
    expect(log.slice(-2).map((e) => [e.action, e.detail])).toEqual([
      ['updatedCrm', 'fields from Outlook: position'],
      ['deletedInExchange', 'sync tag removed'],
    ]);
  });
});

describe('two Outlook contacts with the e-mail of one CRM contact (item 7)', () => {
  for (const tagged of [false, true]) {
    it(`the closer one links, the other becomes a CRM contact of its own; CRM contact ${tagged ? '' : 'not '}tagged`, async () => {
      const world = new World();
      await world.addAccount();
      const crm = world.crm.userCreate({
        firstName: 'Gerd',
        lastName: 'Gleich',
        emails: [{ address: 'gerd@gleich.de', type: 'business' }],
        notes: 'Bestandskunde',
        syncAccounts: tagged ? ['acc-1'] : [],
      });
      // The colleague at the same address comes first (the lower id); the same person second.
      const two = world.exchange.userCreate(MAILBOX, {
        givenName: 'Gerda',
        surname: 'Gleich-Zwei',
        jobTitle: 'Sekretariat',
        emailAddresses: [{ address: 'GERD@gleich.de' }],
      });
      const one = world.exchange.userCreate(MAILBOX, {
        givenName: 'Gerd',
        surname: 'Gleich',
        emailAddresses: [{ address: 'gerd@gleich.de' }],
      });
      world.inbox.length = 0;
      expect((await world.run(world.task('connect'))).outcome).toBe('done');
      await settle(world);
      await world.run(world.reconcile());
      await settle(world);

      expect(two.id < one.id).toBe(true);
      const links = [];
      for await (const link of world.mirror.list('acc-1')) links.push(link);
      expect(links.map((l) => l.exchangeId).sort()).toEqual([one.id, two.id].sort());
      expect(links.find((l) => l.crmId === crm.id)?.exchangeId).toBe(one.id);
      expect(new Set(links.map((l) => l.crmId)).size).toBe(2);

      const outlook = world.exchange.all(MAILBOX);
      expect(outlook).toHaveLength(2);
      expect(outlook.find((c) => c.id === two.id)).toMatchObject({
        givenName: 'Gerda',
        surname: 'Gleich-Zwei',
        jobTitle: 'Sekretariat',
      });
      expect(outlook.find((c) => c.id === one.id)).toMatchObject({ givenName: 'Gerd', surname: 'Gleich' });
      const contacts = world.crm.all();
      expect(contacts).toHaveLength(2);
      expect(world.crm.peek(crm.id)).toMatchObject({ firstName: 'Gerd', notes: 'Bestandskunde' });
      expect(contacts.find((c) => c.id !== crm.id)).toMatchObject({
        firstName: 'Gerda',
        lastName: 'Gleich-Zwei',
        position: 'Sekretariat',
      });
    });
  }
});

describe('"newer wins" compares the times of the users\' edits (item 9)', () => {
  const SECOND = 'zweite@example.de';

  async function twoAccounts(world: World) {
    await world.addAccount();
    await world.addAccount({ id: 'acc-2', email: SECOND, userId: SECOND });
    const crm = world.crm.userCreate({
      firstName: 'Clara',
      lastName: 'Geteilt',
      position: 'Maklerin',
      syncAccounts: ['acc-1', 'acc-2'],
    });
    for (const id of ['acc-1', 'acc-2'])
      expect((await world.run(world.task('connect', id))).outcome).toBe('done');
    await settle(world);
    const [one] = world.exchange.all(MAILBOX);
    const [two] = world.exchange.all(SECOND);
    if (!one || !two) throw new Error('not synced');
    return { crm, one, two };
  }

  const orders = [
    ['the older edit processed first', () => 0],
    ['the newer edit processed first', (size: number) => size - 1],
  ] as const;
  for (const [name, pick] of orders) {
    it(`with two accounts the newest Outlook edit wins in both mailboxes and the CRM: ${name}`, async () => {
      const world = new World();
      const { crm, one, two } = await twoAccounts(world);

      world.exchange.userUpdate(MAILBOX, one.id, { jobTitle: 'Älter' });
      world.exchange.userUpdate(SECOND, two.id, { jobTitle: 'Neuer' });
      await settle(world, pick);
      for (const id of ['acc-1', 'acc-2']) await world.run(world.reconcile(id));
      await settle(world);

      expect(world.crm.peek(crm.id)?.position).toBe('Neuer');
      expect((await world.exchange.get(MAILBOX, one.id))?.jobTitle).toBe('Neuer');
      expect((await world.exchange.get(SECOND, two.id))?.jobTitle).toBe('Neuer');
    });
  }

  it('a CRM edit newer than an Outlook edit wins, though the sync wrote the other mailbox after it', async () => {
    const world = new World();
    const { crm, one, two } = await twoAccounts(world);

    world.exchange.userUpdate(MAILBOX, one.id, { jobTitle: 'Outlook' });
    world.crm.userUpdate(crm.id, { position: 'CRM' });
    await settle(world, (size) => size - 1);
    for (const id of ['acc-1', 'acc-2']) await world.run(world.reconcile(id));
    await settle(world);

    expect(world.crm.peek(crm.id)?.position).toBe('CRM');
    expect((await world.exchange.get(MAILBOX, one.id))?.jobTitle).toBe('CRM');
    expect((await world.exchange.get(SECOND, two.id))?.jobTitle).toBe('CRM');
  });
});
