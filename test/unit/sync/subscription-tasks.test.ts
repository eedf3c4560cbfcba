import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Subscription work as Graph behaves (issue 13 item 5; learn.microsoft.com
 * change-notifications-lifecycle-events): reauthorizationRequired is answered with a
 * reauthorize (or a renewal near expiry) and a delta round for what paused delivery held back;
 * a subscription Graph deleted silently on expiry is made again, by `connect`, a renewal or
 * reconcile, and the changes in between are caught up.
 */
const MAILBOX = 'makler@example.de';

async function connected(world: World) {
  await world.addAccount();
  await world.run(world.task('connect'));
  await world.drain();
  const id = (await world.account()).subscription?.id;
  if (!id) throw new Error('connect made no subscription');
  return id;
}

describe('subscription tasks', () => {
  it('reauthorize: calls reauthorize for a subscription far from its expiry, then a delta round', async () => {
    const world = new World();
    const id = await connected(world);
    world.exchange.userCreate(MAILBOX, { givenName: 'Paula', surname: 'Pause' });
    world.inbox.length = 0; // the notification was held back while delivery was paused
    await world.run(world.task('reauthorize'));
    expect(world.exchange.reauthorized).toEqual([id]);
    expect(world.crm.all().map((c) => c.lastName)).toContain('Pause');
  });

  it('reauthorize: a subscription Graph no longer has is made again', async () => {
    const world = new World();
    const id = await connected(world);
    world.exchange.subscriptionsById.delete(id);
    await world.run(world.task('reauthorize'));
    const now = (await world.account()).subscription?.id;
    expect(now).toBeDefined();
    expect(now).not.toBe(id);
    expect(world.exchange.subscriptionsById.has(now ?? '')).toBe(true);
  });

  it('connect and reconcile make again a subscription Graph deleted silently on expiry', async () => {
    for (const via of ['connect', 'reconcile'] as const) {
      const world = new World();
      const id = await connected(world);
      world.exchange.subscriptionsById.delete(id);
      world.exchange.userCreate(MAILBOX, { givenName: 'Stella', surname: 'Still' });
      world.inbox.length = 0; // no notification: there was no subscription
      await world.run(via === 'connect' ? world.task('connect') : world.reconcile());
      const now = (await world.account()).subscription?.id;
      expect(now, via).not.toBe(id);
      expect(world.exchange.subscriptionsById.has(now ?? ''), via).toBe(true);
      expect(
        world.crm.all().map((c) => c.lastName),
        via,
      ).toContain('Still');
    }
  });

  it('a renewal that finds the subscription gone makes a new one and catches up by delta', async () => {
    const world = new World();
    const id = await connected(world);
    world.exchange.subscriptionsById.delete(id);
    world.exchange.userCreate(MAILBOX, { givenName: 'Rita', surname: 'Renew' });
    world.inbox.length = 0;
    await world.run(world.task('renewSubscription'));
    expect((await world.account()).subscription?.id).not.toBe(id);
    expect(world.crm.all().map((c) => c.lastName)).toContain('Renew');
  });
});
