import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import { isSyncError } from '../../../shared/errors.js';
import type { Accounts } from '../../../shared/ports.js';

export function makeAccount(overrides: Partial<Account> = {}): Account {
  const id = `acc/${randomUUID()}`;
  return {
    id,
    email: 'makler@example.de',
    userId: 'makler@example.de',
    tenantId: null,
    provider: 'microsoft365',
    syncVersion: 'v3',
    defaultCountry: 'DE',
    targetFolderId: null,
    exchangeDeleteAction: 'unlink',
    deltaLinks: {},
    crmCursor: null,
    subscription: null,
    pendingCreates: [],
    migration: { state: 'ok', banner: null, history: [] },
    status: {
      lastSyncAt: null,
      lastDeltaStartedAt: null,
      lastError: null,
      heldDeletes: 0,
      heldDeletesConfirmed: false,
      warnings: 0,
    },
    createdAt: '2025-06-01T10:00:00.000Z',
    ...overrides,
  };
}

const subscription = (id: string) => ({
  id,
  expirationDateTime: '2025-06-08T10:00:00.000Z',
  clientState: 'state',
  resource: 'me/contacts',
});

/** The Accounts contract, run against InMemoryAccounts and TableAccounts. */
export function accountsContract(name: string, makeAccounts: () => Accounts | Promise<Accounts>): void {
  describe(`Accounts contract: ${name}`, () => {
    it('creates, reads, replaces with the etag and lists', async () => {
      const accounts = await makeAccounts();
      const account = makeAccount();
      const etag = await accounts.put(account, null);
      expect(await accounts.get(account.id)).toEqual({ value: account, etag });
      const changed = { ...account, deltaLinks: { 'folder/+=': 'https://graph/delta?token=1' } };
      const etag2 = await accounts.put(changed, etag);
      expect(await accounts.get(account.id)).toEqual({ value: changed, etag: etag2 });
      const listed: Account[] = [];
      for await (const a of accounts.list()) listed.push(a);
      expect(listed).toContainEqual(changed);
      expect(await accounts.get('missing')).toBeNull();
    });

    it('rejects a duplicate create and a stale etag with conflict; one racer wins', async () => {
      const accounts = await makeAccounts();
      const account = makeAccount();
      const etag = await accounts.put(account, null);
      const attempts = [
        () => accounts.put(account, null),
        () => accounts.put({ ...account, email: 'x@y.de' }, 'W/"stale"'),
      ];
      for (const attempt of attempts) {
        expect(isSyncError(await attempt().catch((e: unknown) => e), 'conflict')).toBe(true);
      }
      const results = await Promise.allSettled([
        accounts.put({ ...account, crmCursor: 'a' }, etag),
        accounts.put({ ...account, crmCursor: 'b' }, etag),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(isSyncError(lost?.reason, 'conflict')).toBe(true);
    });

    it('finds an account by its current subscription only', async () => {
      const accounts = await makeAccounts();
      const first = `sub-${randomUUID()}`;
      const second = `sub-${randomUUID()}`;
      const account = makeAccount({ subscription: subscription(first) });
      const etag = await accounts.put(account, null);
      expect((await accounts.findBySubscriptionId(first))?.id).toBe(account.id);
      const renewed = { ...account, subscription: subscription(second) };
      const etag2 = await accounts.put(renewed, etag);
      expect(await accounts.findBySubscriptionId(first)).toBeNull();
      expect(await accounts.findBySubscriptionId(second)).toEqual(renewed);
      await accounts.put({ ...renewed, subscription: null }, etag2);
      expect(await accounts.findBySubscriptionId(second)).toBeNull();
      // A subscription id belongs to one account at most.
      await accounts.put(makeAccount({ subscription: subscription(first) }), null);
      const clash = accounts.put(makeAccount({ subscription: subscription(first) }), null);
      expect(isSyncError(await clash.catch((e: unknown) => e), 'conflict')).toBe(true);
    });

    it('deletes an account with its etag only, with its subscription lookup; a gone one is fine', async () => {
      const accounts = await makeAccounts();
      const sub = `sub-${randomUUID()}`;
      const account = makeAccount({ subscription: subscription(sub) });
      const etag = await accounts.put(account, null);
      const etag2 = await accounts.put({ ...account, crmCursor: 'later' }, etag);
      const stale = await accounts.delete(account.id, etag).catch((e: unknown) => e);
      expect(isSyncError(stale, 'conflict')).toBe(true);
      expect((await accounts.get(account.id))?.etag).toBe(etag2);
      await accounts.delete(account.id, etag2);
      expect(await accounts.get(account.id)).toBeNull();
      expect(await accounts.findBySubscriptionId(sub)).toBeNull();
      const listed: string[] = [];
      for await (const a of accounts.list()) listed.push(a.id);
      expect(listed).not.toContain(account.id);
      // The subscription id is free again, and a second delete is no error.
      await accounts.put(makeAccount({ subscription: subscription(sub) }), null);
      await accounts.delete(account.id, etag2);
    });
  });
}
