import type { Account } from '../accounts/account.js';
import type { Accounts, Clock } from '../ports.js';

/**
 * Webhook intake looks up the account of every notification's subscription. Graph sends
 * bursts for the same few subscriptions, so found accounts are remembered briefly (two table
 * reads less per notification). A subscription recreated meanwhile has a new id; an old id
 * stays accepted for at most `ttlMs`, and what it enqueues is only a hint the worker re-checks.
 */
export function cacheSubscriptionLookups(
  accounts: Accounts,
  clock: Clock,
  ttlMs = 30_000,
  capacity = 10_000,
): Accounts {
  const cache = new Map<string, { account: Account; until: number }>();
  return {
    get: (id) => accounts.get(id),
    list: () => accounts.list(),
    put: (account, etag) => accounts.put(account, etag),
    async delete(id, etag) {
      const stored = await accounts.get(id);
      await accounts.delete(id, etag);
      const sub = stored?.value.subscription?.id;
      if (sub) cache.delete(sub);
    },
    async findBySubscriptionId(subscriptionId) {
      const now = clock.now().getTime();
      const hit = cache.get(subscriptionId);
      if (hit && hit.until > now) return hit.account;
      const account = await accounts.findBySubscriptionId(subscriptionId);
      if (account) {
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
        cache.set(subscriptionId, { account, until: now + ttlMs });
      } else cache.delete(subscriptionId);
      return account;
    },
  };
}
