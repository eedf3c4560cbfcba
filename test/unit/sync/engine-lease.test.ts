import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../../shared/errors.js';
import { ACCOUNT_LEASE_MS, HeldLease, leaseGuarded } from '../../../shared/sync/lease-guard.js';
import { InMemoryLease } from '../../fakes/in-memory-lease.js';
import { TickingClock, World } from './support/world.js';

/** One writer per account, provably (issue 14, item 10). */

const MAILBOX = 'makler@example.de';

describe('a worker paused past its lease', () => {
  it('stops before its next write while a second worker did the work: no duplicate, no lost write', async () => {
    const world = new World();
    await world.addAccount();
    await world.run(world.task('connect'));
    const contact = world.crm.userCreate({ lastName: 'Einmal', syncAccounts: ['acc-1'] });
    world.inbox.length = 0;

    // Worker A reads the contact, then freezes (a long GC, a frozen VM) for longer than its lease.
    let resume: () => void = () => undefined;
    const frozen = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let paused = false;
    world.crm.hooks.onEnter('get', async () => {
      if (paused) return;
      paused = true;
      await frozen;
    });
    const first = world.run(world.crmChanged(contact.id, contact.version)).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(paused).toBe(true);
    world.clock.advance(ACCOUNT_LEASE_MS + 60_000);

    // Worker B gets the lease and does the same work; the CRM edits the contact meanwhile too.
    await world.run(world.crmChanged(contact.id, contact.version));
    world.crm.userUpdate(contact.id, { company: 'Einmal GmbH' });
    resume();
    const outcome = await first;

    expect(isSyncError(outcome, 'transient') && outcome.code).toBe('LeaseLost');
    await world.drain();
    expect(world.exchange.all(MAILBOX).map((c) => c.companyName)).toEqual(['Einmal GmbH']);
    expect(await world.links()).toHaveLength(1);
    expect((await world.account()).pendingCreates).toEqual([]);
  });
});

describe('the lease of a long job', () => {
  it('is renewed while its holder writes, so no second worker gets it', async () => {
    const clock = new TickingClock();
    const lease = new InMemoryLease(clock);
    const handle = await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS);
    if (!handle) throw new Error('no lease');
    const held = new HeldLease(handle, 'account:acc-1', ACCOUNT_LEASE_MS, clock);
    // Ten lease lengths of work, one write a minute.
    for (let minute = 0; minute < 50; minute++) {
      clock.advance(60_000);
      await held.check();
      expect(await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS)).toBeNull();
    }
    await held.release();
    expect(await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS)).not.toBeNull();
  });

  it('a holder whose lease was taken over cannot renew it', async () => {
    const clock = new TickingClock();
    const lease = new InMemoryLease(clock);
    const handle = await lease.acquire('k', 1000);
    if (!handle) throw new Error('no lease');
    const held = new HeldLease(handle, 'k', 1000, clock);
    clock.advance(5000);
    expect(await lease.acquire('k', 1000)).not.toBeNull();
    await expect(held.check()).rejects.toThrow(/taken over/);
  });
});

describe('a long stretch of reading', () => {
  it('renews the lease page by page, and stops at the next page once it was taken over', async () => {
    const world = new World();
    await world.addAccount();
    for (let i = 0; i < 40; i++) world.exchange.userCreate(MAILBOX, { givenName: 'K', surname: `N${i}` });
    const lease = world.deps.lease;
    const handle = await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS);
    if (!handle) throw new Error('no lease');
    const deps = leaseGuarded(
      world.deps,
      new HeldLease(handle, 'account:acc-1', ACCOUNT_LEASE_MS, world.clock),
    );
    const folder = world.exchange.defaultFolderOf(MAILBOX);

    let pages = 0;
    for await (const _ of deps.exchange.delta(MAILBOX, folder, null)) {
      pages++;
      world.clock.advance(120_000); // two minutes a page: eight pages are three leases long
      expect(await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS)).toBeNull();
    }
    expect(pages).toBe(8);

    const reading = deps.exchange.delta(MAILBOX, folder, null)[Symbol.asyncIterator]();
    await reading.next();
    world.clock.advance(ACCOUNT_LEASE_MS + 1000); // frozen between two pages
    expect(await lease.acquire('account:acc-1', ACCOUNT_LEASE_MS)).not.toBeNull();
    await expect(reading.next()).rejects.toThrow(/taken over/);
  });
});
