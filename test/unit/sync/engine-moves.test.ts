import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import { World } from './support/world.js';

/**
 * Moves between contact folders are not deletes (issue 14, item 3), and the mass-delete guard
 * counts a whole round across folders and a slow wipe over its window (item 4).
 */

const MAILBOX = 'makler@example.de';

async function setUp(options: { immutableIds: boolean; account?: Partial<Account> }) {
  const world = new World();
  await world.addAccount(options.account);
  world.exchange.setImmutableIds(MAILBOX, options.immutableIds);
  const privat = world.exchange.addFolder(MAILBOX, 'Privat');
  await world.run(world.task('connect'));
  await world.drain();
  return { world, privat };
}

const cases = [
  { immutableIds: true, mode: 'unlink' as const },
  { immutableIds: false, mode: 'unlink' as const },
  { immutableIds: true, mode: 'delete' as const },
  { immutableIds: false, mode: 'delete' as const },
];

describe('a contact moved to another folder stays one linked contact', () => {
  for (const { immutableIds, mode } of cases) {
    const label = `${immutableIds ? 'immutable ids' : 'a new id on the move'}, exchangeDeleteAction=${mode}`;

    it(`made in Outlook (${label})`, async () => {
      const { world, privat } = await setUp({ immutableIds, account: { exchangeDeleteAction: mode } });
      const made = world.exchange.userCreate(MAILBOX, {
        givenName: 'Mona',
        surname: 'Umzug',
        emailAddresses: [{ address: 'mona@x.de' }],
      });
      await world.drain();
      const crmId = (await world.links())[0]?.crmId;
      world.resetCounts();

      const movedId = world.exchange.userMove(MAILBOX, made.id, privat);
      await world.drain();
      await world.run(world.reconcile());
      await world.drain();

      expect(world.crm.all()).toHaveLength(1);
      expect(world.crm.peek(crmId ?? '')?.syncAccounts).toEqual(['acc-1']);
      expect(world.exchange.all(MAILBOX).map((c) => c.id)).toEqual([movedId]);
      expect(await world.links()).toMatchObject([{ crmId, exchangeId: movedId, exchangeFolderId: privat }]);
      expect(world.crm.hooks.count('delete')).toBe(0);
      expect(world.writes().exchange).toBe(0);
    });

    it(`made in the CRM (${label})`, async () => {
      const { world, privat } = await setUp({ immutableIds, account: { exchangeDeleteAction: mode } });
      const contact = world.crm.userCreate({ lastName: 'Wandel', syncAccounts: ['acc-1'] });
      await world.drain();
      const copy = world.exchange.all(MAILBOX)[0];
      expect(copy).toBeDefined();
      world.resetCounts();

      const movedId = world.exchange.userMove(MAILBOX, copy?.id ?? '', privat);
      // The CRM edits the contact in the same moment: the edit must reach the moved copy.
      world.crm.userUpdate(contact.id, { company: 'Wandel KG' });
      await world.drain();
      await world.run(world.reconcile());
      await world.drain();

      expect(world.crm.all()).toHaveLength(1);
      expect(world.crm.peek(contact.id)?.syncAccounts).toEqual(['acc-1']);
      const outlook = world.exchange.all(MAILBOX);
      expect(outlook.map((c) => [c.id, c.companyName])).toEqual([[movedId, 'Wandel KG']]);
      expect(await world.links()).toMatchObject([
        { crmId: contact.id, exchangeId: movedId, exchangeFolderId: privat },
      ]);
      expect(world.crm.hooks.count('delete')).toBe(0);
      expect(world.exchange.hooks.count('create')).toBe(0);
    });
  }

  it('a removal is decided after every folder of the round was read (the moved-to folder comes first)', async () => {
    const world = new World();
    await world.addAccount();
    world.exchange.setImmutableIds(MAILBOX, false);
    const first = world.exchange.addFolder(MAILBOX, 'A');
    const second = world.exchange.addFolder(MAILBOX, 'B');
    const made = world.exchange.userCreate(MAILBOX, { givenName: 'Rita', surname: 'Reihe' }, second);
    await world.run(world.task('connect'));
    await world.drain();
    world.exchange.userMove(MAILBOX, made.id, first);
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());
    await world.drain();
    expect(world.crm.all().map((c) => c.syncAccounts)).toEqual([['acc-1']]);
    expect(await world.links()).toHaveLength(1);
  });

  it('a folder that no longer exists is dropped from the round; nothing that left it is deleted', async () => {
    const { world, privat } = await setUp({ immutableIds: true });
    const made = world.exchange.userCreate(MAILBOX, { givenName: 'Fritz', surname: 'Fort' }, privat);
    await world.drain();
    world.exchange.userMove(MAILBOX, made.id, world.exchange.defaultFolderOf(MAILBOX));
    world.exchange.userDeleteFolder(MAILBOX, privat);
    world.inbox.length = 0;
    const result = await world.run(world.exchangeChanged());
    await world.drain();
    expect(result.outcome).toBe('done');
    expect(world.crm.all().map((c) => c.syncAccounts)).toEqual([['acc-1']]);
    expect(await world.links()).toMatchObject([{ exchangeId: made.id }]);
    expect(Object.keys((await world.account()).deltaLinks)).not.toContain(privat);
  });

  it("a contact still in a folder when it was deleted is deleted with it (the account's choice)", async () => {
    const { world, privat } = await setUp({ immutableIds: true });
    world.exchange.userCreate(MAILBOX, { givenName: 'Gerd', surname: 'Gelöscht' }, privat);
    const stays = world.exchange.userCreate(MAILBOX, { givenName: 'Berta', surname: 'Bleibt' });
    await world.drain();
    world.exchange.userDeleteFolder(MAILBOX, privat);
    await world.drain();
    expect(world.crm.all().map((c) => [c.lastName, c.syncAccounts])).toEqual(
      expect.arrayContaining([
        ['Gelöscht', []],
        ['Bleibt', ['acc-1']],
      ]),
    );
    expect(world.crm.all()).toHaveLength(2);
    expect(await world.links()).toMatchObject([{ exchangeId: stays.id }]);
  });
});

describe('soft deletes and restores', () => {
  for (const immutableIds of [true, false]) {
    it(`a contact restored from Deleted Items comes back to the CRM (exchangeDeleteAction=delete, ${immutableIds ? 'its old id' : 'a new id'})`, async () => {
      const { world } = await setUp({ immutableIds, account: { exchangeDeleteAction: 'delete' } });
      const made = world.exchange.userCreate(MAILBOX, { givenName: 'Lena', surname: 'Papierkorb' });
      await world.drain();
      const deleted = world.exchange.userSoftDelete(MAILBOX, made.id);
      await world.drain();
      expect(world.crm.all()).toEqual([]); // the account's choice: an Outlook delete deletes

      const restoredId = world.exchange.userRestore(MAILBOX, deleted);
      const { failures } = await world.drain();

      expect(failures).toEqual([]);
      expect(world.crm.all()).toMatchObject([{ lastName: 'Papierkorb', syncAccounts: ['acc-1'] }]);
      expect(await world.links()).toMatchObject([{ exchangeId: restoredId }]);
    });
  }
});

describe('an Outlook id that comes back', () => {
  it('a contact restored under its old id while its CRM contact follows an identical copy gets its own', async () => {
    const { world } = await setUp({ immutableIds: true });
    const made = world.exchange.userCreate(MAILBOX, { givenName: 'Zora', surname: 'Zwilling' });
    await world.drain();
    const deleted = world.exchange.userSoftDelete(MAILBOX, made.id);
    // An identical contact appears in the same round: by content, the removed one moved there.
    const twin = world.exchange.userCreate(MAILBOX, { givenName: 'Zora', surname: 'Zwilling' });
    await world.drain();
    world.exchange.userRestore(MAILBOX, deleted);
    const { failures } = await world.drain();

    expect(failures).toEqual([]);
    const pairs = await world.links();
    expect(pairs.map((l) => l.exchangeId).sort()).toEqual([made.id, twin.id].sort());
    expect(new Set(pairs.map((l) => l.crmId)).size).toBe(2);
  });
});

describe('mass-delete guard over a whole round and over its window', () => {
  const tagged = (world: World) => world.crm.all().filter((c) => c.syncAccounts.includes('acc-1')).length;

  it('holds 27 of 27 deletes spread over three folders of 9', async () => {
    const world = new World();
    await world.addAccount();
    const folders = ['A', 'B', 'C'].map((name) => world.exchange.addFolder(MAILBOX, name));
    for (const folder of folders)
      for (let i = 0; i < 9; i++)
        world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` }, folder);
    await world.run(world.task('connect'));
    await world.drain();
    expect(tagged(world)).toBe(27);
    for (const contact of world.exchange.all(MAILBOX)) world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    world.resetCounts();
    await world.run(world.exchangeChanged());
    await world.drain();
    expect(world.writes().crm).toBe(0);
    expect(tagged(world)).toBe(27);
    expect((await world.account()).status.heldDeletes).toBe(27);
  });

  it('a mass delete of copies the sync made costs no marker lookup per contact', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    for (let i = 0; i < 12; i++) world.crm.userCreate({ lastName: `N${i}`, syncAccounts: ['acc-1'] });
    await world.drain();
    for (const contact of world.exchange.all(MAILBOX).slice(0, 11))
      world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    world.resetCounts();
    await world.run(world.exchangeChanged());
    expect((await world.account()).status.heldDeletes).toBe(11);
    expect(world.exchange.hooks.count('findByLinkId')).toBe(0);
  });

  it('holds a slow wipe: rounds of a few deletes each that add up past the share within the window', async () => {
    const world = new World();
    await world.addAccount();
    for (let i = 0; i < 30; i++) world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` });
    await world.run(world.task('connect'));
    await world.drain();
    const ids = world.exchange.all(MAILBOX).map((c) => c.id);
    // 8 per round (under the minimum of 10 each time), 4 rounds: 32 > 30 × 0.5 after the second.
    for (let round = 0; round < 4; round++) {
      for (const id of ids.slice(round * 7, round * 7 + 7)) world.exchange.userDelete(MAILBOX, id);
      world.inbox.length = 0;
      await world.run(world.exchangeChanged());
      await world.drain();
    }
    // 15 of 30 may go (the share); the deletes beyond that are held.
    expect(tagged(world)).toBeGreaterThanOrEqual(15);
    expect((await world.account()).status.heldDeletes).toBeGreaterThan(0);
  });

  it('keeps the window small in the account row however many rounds delete', async () => {
    const world = new World();
    await world.addAccount();
    for (let i = 0; i < 40; i++) world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` });
    await world.run(world.task('connect'));
    await world.drain();
    for (const contact of world.exchange.all(MAILBOX).slice(0, 12)) {
      world.exchange.userDelete(MAILBOX, contact.id);
      world.inbox.length = 0;
      await world.run(world.exchangeChanged());
    }
    const status = (await world.account()).status;
    expect(status.recentDeletes?.reduce((sum, e) => sum + e.count, 0)).toBe(12);
    expect(status.recentDeletes?.length).toBeLessThanOrEqual(2);
  });

  it('a confirmation given while a round runs is not used up by that round', async () => {
    const world = new World();
    await world.addAccount();
    for (let i = 0; i < 12; i++) world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` });
    await world.run(world.task('connect'));
    await world.drain();
    for (const contact of world.exchange.all(MAILBOX).slice(0, 11))
      world.exchange.userDelete(MAILBOX, contact.id);
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());
    expect((await world.account()).status.heldDeletes).toBe(11);

    // The person confirms while a round (started before) is reading the mailbox.
    let confirmed = false;
    world.exchange.hooks.onEnter('delta', async () => {
      if (confirmed) return;
      confirmed = true;
      await world.editAccount('acc-1', (a) => ({
        ...a,
        status: { ...a.status, heldDeletesConfirmed: true },
      }));
    });
    await world.run(world.exchangeChanged());
    expect(tagged(world)).toBe(12); // the round that started before the confirmation holds again
    expect((await world.account()).status.heldDeletesConfirmed).toBe(true);

    await world.run(world.exchangeChanged()); // the next round uses it
    expect(tagged(world)).toBe(1);
    expect((await world.account()).status).toMatchObject({ heldDeletes: 0, heldDeletesConfirmed: false });
  });
});
