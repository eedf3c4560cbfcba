import { describe, expect, it, vi } from 'vitest';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { handleBatch, handleMessage } from '../../../shared/sync/worker.js';
import { World } from './support/world.js';

/**
 * A session's waiting crm-to-exchange messages handled as one batch (worker.handleBatch):
 * the same outcome as one message at a time, with one lease, one account read and one
 * pending-ledger bracket per chunk instead of per contact.
 */

const MAILBOX = 'makler@example.de';

async function linkedCount(world: World): Promise<number> {
  let n = 0;
  for await (const _ of world.mirror.list('acc-1')) n++;
  return n;
}

async function taggedContacts(world: World, n: number): Promise<QueueMessage[]> {
  await world.addAccount();
  const messages: QueueMessage[] = [];
  for (let i = 0; i < n; i++) {
    const c = world.crm.userCreate({ firstName: `Kim${i}`, lastName: 'Batch', syncAccounts: ['acc-1'] });
    messages.push(world.crmChanged(c.id, c.version));
  }
  world.inbox.length = 0;
  return messages;
}

/** The consumer's fallback: a failed batch is retried one message at a time (redelivered up to 5 times). */
async function runLikeTheConsumer(world: World, messages: QueueMessage[]) {
  try {
    await handleBatch(world.deps, messages);
  } catch {
    for (const message of messages) world.inbox.push(message);
  }
  const { failures } = await world.drain();
  expect(failures).toEqual([]);
}

describe('a batch of CRM pushes for one account', () => {
  it('creates every tagged contact once, with two ledger writes and one log write per chunk', async () => {
    const world = new World();
    const messages = await taggedContacts(world, 30);
    const puts = vi.spyOn(world.accounts, 'put');
    const logs = vi.spyOn(world.mirror, 'appendLog');

    const result = await handleBatch(world.deps, messages);

    expect(result.tally.createdInExchange).toBe(30);
    expect(world.exchange.all(MAILBOX)).toHaveLength(30);
    expect(await linkedCount(world)).toBe(30);
    expect((await world.account()).pendingCreates).toEqual([]);
    expect(puts).toHaveBeenCalledTimes(2); // pending ledger: begin and end
    expect(logs).toHaveBeenCalledTimes(1);
    expect(world.exchange.hooks.count('create')).toBe(30);
  });

  it('writes a contact that two messages of the batch name once', async () => {
    const world = new World();
    const [first] = await taggedContacts(world, 1);
    const contact = world.crm.all()[0]!;
    const edited = world.crm.userUpdate(contact.id, { position: 'Makler' });
    world.inbox.length = 0;
    await handleBatch(world.deps, [first!, world.crmChanged(contact.id, edited.version)]);
    expect(world.exchange.hooks.count('create')).toBe(1);
    expect(world.exchange.all(MAILBOX)[0]).toMatchObject({ jobTitle: 'Makler' });
  });

  it('skips what the mirror already holds (our own write echoed back), reading nothing', async () => {
    const world = new World();
    const messages = await taggedContacts(world, 5);
    await handleBatch(world.deps, messages);
    world.resetCounts();
    const reads = world.crm.hooks.count('get');
    const again = await handleBatch(world.deps, messages);
    expect(again.tally.unchanged).toBe(5);
    expect(world.crm.hooks.count('get')).toBe(reads);
    expect(world.writes()).toEqual({ exchange: 0, crm: 0 });
  });

  it('a crash after one create of the batch: retried one by one, every contact exists exactly once', async () => {
    const world = new World();
    const messages = await taggedContacts(world, 12);
    world.exchange.hooks.crashAfterWrite('create');
    await runLikeTheConsumer(world, messages);
    expect(world.exchange.all(MAILBOX)).toHaveLength(12);
    expect(await linkedCount(world)).toBe(12);
    expect((await world.account()).pendingCreates).toEqual([]);
  });

  it('a mix of kinds or accounts is handled one message after another, with the same result', async () => {
    const world = new World();
    const messages = await taggedContacts(world, 3);
    const result = await handleBatch(world.deps, [...messages, world.exchangeChanged()]);
    expect(result.reason).toBe('4 messages');
    expect(world.exchange.all(MAILBOX)).toHaveLength(3);
    expect(await linkedCount(world)).toBe(3);
  });
});

describe('a batch of mailbox hints for one account', () => {
  it('costs what one hint costs, and brings every Outlook change into the CRM', async () => {
    const run = async (hintCount: number) => {
      const world = new World();
      await world.addAccount();
      for (let i = 0; i < 6; i++)
        world.exchange.userCreate(MAILBOX, { givenName: `Eva${i}`, surname: 'Hint' });
      const hints = Array.from({ length: hintCount }, () => world.exchangeChanged());
      world.resetCounts();
      const reads = vi.spyOn(world.accounts, 'get');
      const leases = vi.spyOn(world.deps.lease, 'acquire');
      const result = await handleBatch(world.deps, hints);
      const synced = world.crm.all().filter((c) => c.lastName === 'Hint').length;
      return { result, synced, reads: reads.mock.calls.length, leases: leases.mock.calls.length };
    };
    const one = await run(1);
    const six = await run(6);

    expect(six.synced).toBe(6);
    expect(six.result.reason).toBe('6 messages (5 mailbox hints covered by one round)');
    expect({ reads: six.reads, leases: six.leases }).toEqual({ reads: one.reads, leases: one.leases });
  });

  it('keeps the latest hint, so a change reported after a round started still gets a round', async () => {
    const world = new World();
    await world.addAccount();
    const early = world.exchangeChanged();
    await handleBatch(world.deps, [world.exchangeChanged()]); // a round starts after `early`
    world.exchange.userCreate(MAILBOX, { givenName: 'Late', surname: 'Change' });
    const late = world.exchangeChanged();

    await handleBatch(world.deps, [early, late]);

    expect(world.crm.all().filter((c) => c.lastName === 'Change')).toHaveLength(1);
  });
});

describe('a full CRM sweep (reconcile)', () => {
  it('compares every contact with the links read once, and pushes only what changed', async () => {
    const world = new World();
    const messages = await taggedContacts(world, 12);
    await handleBatch(world.deps, messages);
    const [edited, deleted] = world.crm.all();
    world.crm.userUpdate(edited!.id, { position: 'Makler' });
    world.crm.userDelete(deleted!.id);
    world.inbox.length = 0; // the events were lost
    world.resetCounts();
    const lookups = vi.spyOn(world.mirror, 'getByCrmId');

    await handleMessage(world.deps, world.reconcile());

    // Only the two contacts that changed are looked up again, by the push itself.
    expect(lookups).toHaveBeenCalledTimes(2);
    expect(world.exchange.hooks.count('update')).toBe(1);
    expect(world.exchange.hooks.count('delete')).toBe(1);
    expect(world.exchange.all(MAILBOX)).toHaveLength(11);
    expect(world.exchange.all(MAILBOX).filter((c) => c.jobTitle === 'Makler')).toHaveLength(1);
  });
});
