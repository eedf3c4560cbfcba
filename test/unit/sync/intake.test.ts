import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import type { MailboxHints } from '../../../shared/sync/hint-batcher.js';
import { acceptGraphNotifications, acceptLifecycleEvents } from '../../../shared/sync/intake.js';
import { InMemoryAccounts } from '../../fakes/in-memory-accounts.js';
import { InMemoryQueue } from '../../fakes/in-memory-queue.js';
import { account } from './support/builders.js';

/**
 * Notifications as Graph delivers them (issue 13 item 5; change-notifications-delivery-webhooks
 * and change-notifications-lifecycle-events on learn.microsoft.com): one POST may carry several
 * subscriptions' notifications, a notification that got no 2xx in time is delivered again, and
 * lifecycle events ask for a reauthorization, a new subscription or a delta round.
 */
class RecordingHints implements MailboxHints {
  readonly calls: { accountId: string; keys: string[]; reason: string }[] = [];
  async notify(accountId: string, keys: string[], reason: string): Promise<void> {
    this.calls.push({ accountId, keys, reason });
  }
}

const clock = { now: () => new Date('2026-03-01T10:00:00Z') };

async function world() {
  const accounts = new InMemoryAccounts();
  const queue = new InMemoryQueue();
  const hints = new RecordingHints();
  const withSubscription = (id: string): Account =>
    account({
      id,
      userId: `${id}@contoso.example`,
      subscription: {
        id: `sub-${id}`,
        clientState: `state-${id}`,
        expirationDateTime: '2026-03-05T10:00:00Z',
        resource: `users/${id}/contacts`,
      },
    });
  await accounts.put(withSubscription('a1'), null);
  await accounts.put(withSubscription('a2'), null);
  return { deps: { accounts, queue, clock, hints }, queue, hints };
}

const note = (account: string, id: string, etag = 'W/"1"', clientState = `state-${account}`) => ({
  subscriptionId: `sub-${account}`,
  clientState,
  changeType: 'updated',
  resource: `Users/${account}/Contacts/${id}`,
  resourceData: { id, '@odata.etag': etag },
});

describe('change notifications', () => {
  it('one POST with several subscriptions: one hint per account, each with its notifications', async () => {
    const { deps, hints } = await world();
    const result = await acceptGraphNotifications(deps, [
      note('a1', 'c1'),
      note('a2', 'c9'),
      note('a1', 'c2'),
    ]);
    expect(result).toEqual({ accepted: 3, rejected: 0, enqueued: 2 });
    expect(hints.calls.map((c) => [c.accountId, c.keys.length])).toEqual([
      ['a1', 2],
      ['a2', 1],
    ]);
  });

  it('a redelivered notification repeats its key (so it coalesces); a new change has a new one', async () => {
    const { deps, hints } = await world();
    await acceptGraphNotifications(deps, [note('a1', 'c1')]);
    await acceptGraphNotifications(deps, [note('a1', 'c1')]);
    await acceptGraphNotifications(deps, [note('a1', 'c1', 'W/"2"')]);
    const [first, again, changed] = hints.calls.map((c) => c.keys[0]);
    expect(again).toBe(first);
    expect(changed).not.toBe(first);
  });

  it('refuses a wrong clientState or an unknown subscription, and accepts the rest of the POST', async () => {
    const { deps, hints } = await world();
    const result = await acceptGraphNotifications(deps, [
      note('a1', 'c1', 'W/"1"', 'forged'),
      { ...note('a2', 'c2'), subscriptionId: 'sub-unknown' },
      note('a2', 'c3'),
    ]);
    expect(result).toEqual({ accepted: 1, rejected: 2, enqueued: 1 });
    expect(hints.calls.map((c) => c.accountId)).toEqual(['a2']);
  });
});

describe('lifecycle events', () => {
  const event = (
    accountId: string,
    lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed',
  ) => ({
    subscriptionId: `sub-${accountId}`,
    clientState: `state-${accountId}`,
    lifecycleEvent,
  });

  it('reauthorizationRequired → a reauthorize task; subscriptionRemoved → recreate; missed → a delta round', async () => {
    const { deps, queue, hints } = await world();
    const result = await acceptLifecycleEvents(deps, [
      event('a1', 'reauthorizationRequired'),
      event('a2', 'subscriptionRemoved'),
      event('a1', 'missed'),
    ]);
    expect(result).toEqual({ accepted: 3, rejected: 0, enqueued: 3 });
    const tasks = queue
      .take('exchange-to-crm')
      .map((m) => (m.kind === 'accountTask' ? [m.accountId, m.task] : m.kind));
    expect(tasks).toEqual([
      ['a1', 'reauthorize'],
      ['a2', 'recreateSubscription'],
    ]);
    expect(hints.calls).toEqual([
      expect.objectContaining({ accountId: 'a1', reason: 'lifecycle event missed' }),
    ]);
  });

  it('the same event delivered twice has one dedupe id (the queue drops the repeat)', async () => {
    const { deps, queue } = await world();
    await acceptLifecycleEvents(deps, [event('a1', 'reauthorizationRequired')]);
    await acceptLifecycleEvents(deps, [event('a1', 'reauthorizationRequired')]);
    const [one, two] = queue.take('exchange-to-crm');
    expect(one?.dedupeId).toBeDefined();
    expect(two?.dedupeId).toBe(one?.dedupeId);
  });

  it('refuses an event with a wrong clientState', async () => {
    const { deps, queue, hints } = await world();
    const result = await acceptLifecycleEvents(deps, [{ ...event('a1', 'missed'), clientState: 'forged' }]);
    expect(result).toEqual({ accepted: 0, rejected: 1, enqueued: 0 });
    expect(queue.take('exchange-to-crm')).toEqual([]);
    expect(hints.calls).toEqual([]);
  });
});
