import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Issue 13 item 2 in the engine: Graph answering "this mailbox cannot be read" (ErrorKind
 * `mailboxUnavailable`) on any call is recorded in the account, not retried into the
 * dead-letter queue; nothing is deleted, unlinked or untagged; the first work that gets
 * through afterwards clears the status.
 */
const MAILBOX = 'makler@example.de';
const EXCHANGE_READS = [
  'listFolders',
  'defaultFolderId',
  'delta',
  'get',
  'create',
  'update',
  'delete',
] as const;

async function links(world: World): Promise<number> {
  let n = 0;
  for await (const _ of world.mirror.list('acc-1')) n++;
  return n;
}

describe('a mailbox Graph cannot read right now', () => {
  it('skips the message, records the status, keeps every link and tag, and recovers', async () => {
    const world = new World();
    await world.addAccount();
    world.exchange.userCreate(MAILBOX, { givenName: 'Olga', surname: 'Outlook' });
    const crm = world.crm.userCreate({ firstName: 'Carl', lastName: 'Crm', syncAccounts: ['acc-1'] });
    await world.drain();
    expect(await links(world)).toBe(2);

    for (const method of EXCHANGE_READS) world.exchange.hooks.failNext(method, 'mailboxUnavailable', 1000);
    world.crm.userUpdate(crm.id, { company: 'Während GmbH' });
    const results = await Promise.all([world.run(world.reconcile()), world.run(world.exchangeChanged())]);
    expect(results.map((r) => r.outcome)).toEqual(['skipped', 'skipped']);
    expect(results[0]?.reason).toMatch(/cannot be read right now/);
    const during = await world.account();
    expect(during.status.mailbox).toMatchObject({ state: 'unavailable', code: 'InjectedmailboxUnavailable' });
    expect(await links(world)).toBe(2);
    expect(world.crm.all().every((c) => c.syncAccounts.includes('acc-1'))).toBe(true);
    expect(world.exchange.all(MAILBOX)).toHaveLength(2);

    for (const method of EXCHANGE_READS) world.exchange.hooks.failNext(method, 'mailboxUnavailable', 0);
    await world.run(world.reconcile());
    await world.drain();
    const after = await world.account();
    expect(after.status.mailbox ?? null).toBeNull();
    expect(after.status.lastError).toBeNull();
    expect(world.exchange.all(MAILBOX).find((c) => c.surname === 'Crm')?.companyName).toBe('Während GmbH');
    expect(await links(world)).toBe(2);
  });

  it('revoked consent (auth) is still thrown for the queue to retry, as before', async () => {
    const world = new World();
    await world.addAccount();
    await world.drain();
    world.exchange.hooks.failNext('delta', 'auth', 1);
    await expect(world.run(world.reconcile())).rejects.toMatchObject({ kind: 'auth' });
    expect((await world.account()).status.mailbox ?? null).toBeNull();
  });
});
