import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Deletes check what they delete (issue 14, item 11) and a pending create that fails for good
 * leaves the ledger (item 8).
 */

const MAILBOX = 'makler@example.de';

describe('deletes check what they delete', () => {
  it('an Outlook edit made after our read wins over the CRM delete (If-Match changeKey)', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    const contact = world.crm.userCreate({ lastName: 'Bleibt', syncAccounts: ['acc-1'] });
    await world.drain();
    const [copy] = world.exchange.all(MAILBOX);
    world.crm.userDelete(contact.id);
    // The person edits the copy in Outlook after the sync read it, before the delete arrives.
    world.exchange.hooks.onEnter('delete', () => {
      world.exchange.hooks.onEnter('delete', null);
      world.exchange.userUpdate(MAILBOX, copy?.id ?? '', { jobTitle: 'Architektin' });
    });
    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.exchange.all(MAILBOX).map((c) => c.jobTitle)).toEqual(['Architektin']);
    expect(world.crm.all()).toMatchObject([{ lastName: 'Bleibt', position: 'Architektin' }]);
    expect(await world.links()).toHaveLength(1);
  });

  it('a CRM create left behind by a crash, its Outlook contact deleted since: not re-created in Outlook', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    const outlook = world.exchange.userCreate(MAILBOX, { givenName: 'Otto', surname: 'Waise' });
    world.inbox.length = 0;
    world.crm.hooks.crashAfterWrite('create');
    await expect(world.run(world.exchangeChanged())).rejects.toThrow(/connection lost/);
    world.exchange.userDelete(MAILBOX, outlook.id);

    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.exchange.all(MAILBOX)).toEqual([]);
    // The orphan gets what an Outlook delete gets (unlink: the contact stays, untagged).
    expect(world.crm.all().map((c) => c.syncAccounts)).toEqual([[]]);
    expect(await world.links()).toEqual([]);
    expect((await world.account()).pendingCreates).toEqual([]);
  });
});

describe('a crash right after the sync deleted an Outlook copy itself', () => {
  it('is not read as an Outlook delete: a tag given back meanwhile stays, with a new copy', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    const contact = world.crm.userCreate({ lastName: 'Zurück', syncAccounts: ['acc-1'] });
    await world.drain();
    world.crm.untag(contact.id, 'acc-1');
    world.exchange.hooks.crashAfterWrite('delete');
    const pushes = world.inbox.splice(0);
    for (const message of pushes) await world.run(message).catch(() => undefined);
    for (const message of world.inbox.splice(0)) await world.run(message).catch(() => undefined);
    expect(world.exchange.all(MAILBOX)).toEqual([]); // deleted, but the crash kept the link
    world.crm.tag(contact.id, 'acc-1'); // the person gives the tag back
    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.crm.peek(contact.id)?.syncAccounts).toEqual(['acc-1']);
    expect(world.exchange.all(MAILBOX).map((c) => c.surname)).toEqual(['Zurück']);
    expect(await world.links()).toHaveLength(1);
  });
});

describe('a pending create that now fails for good', () => {
  it('is logged for the contact, leaves the ledger and does not block the account', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    const outlook = world.exchange.userCreate(MAILBOX, { givenName: 'Paula', surname: 'Pending' });
    world.inbox.length = 0;
    world.crm.hooks.failNext('create', 'transient');
    await expect(world.run(world.exchangeChanged())).rejects.toThrow();
    expect((await world.account()).pendingCreates).toHaveLength(1);

    world.crm.hooks.failNext('create', 'invalid', 5); // the CRM now refuses it (4xx), every time
    const other = world.crm.userCreate({ lastName: 'Andere', syncAccounts: ['acc-1'] });
    const { failures } = await world.drain();

    expect(failures).toEqual([]);
    expect((await world.account()).pendingCreates).toEqual([]);
    expect(
      world.exchange
        .all(MAILBOX)
        .map((c) => c.surname)
        .sort(),
    ).toEqual(['Andere', 'Pending']);
    expect((await world.links()).map((l) => l.crmId)).toEqual([other.id]);
    const log = await world.mirror.readLog('acc-1', `exchange:${outlook.id}`);
    expect(log.some((entry) => entry.level === 'error')).toBe(true);
  });

  it('a tag removed while the create was interrupted is not absorbed by the resumed create', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    world.exchange.userCreate(MAILBOX, { givenName: 'Ute', surname: 'Untag' });
    world.inbox.length = 0;
    world.crm.hooks.crashAfterWrite('create');
    await expect(world.run(world.exchangeChanged())).rejects.toThrow(/connection lost/);
    const [created] = world.crm.all();
    world.crm.untag(created?.id ?? '', 'acc-1'); // the person removes the tag before the retry
    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.crm.all().map((c) => c.syncAccounts)).toEqual([[]]);
    // A removed tag takes the Outlook copy away (DESIGN section 9), and no link is left.
    expect(world.exchange.all(MAILBOX)).toEqual([]);
    expect(await world.links()).toEqual([]);
  });
});
