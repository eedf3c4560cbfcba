import { describe, expect, it } from 'vitest';
import { type CrmEvent, crmContactInputSchema } from '../../../shared/contact/crm-contact.js';
import { acceptCrmEvent } from '../../../shared/sync/intake.js';
import { OwnCrmWrites, rememberingOwnWrites } from '../../../shared/sync/own-writes.js';
import { FakeCrmContacts } from '../../fakes/crm-contacts.js';
import { InMemoryAccounts } from '../../fakes/in-memory-accounts.js';
import { InMemoryQueue } from '../../fakes/in-memory-queue.js';

/** The CRM webhook drops the echoes of this process's own writes, and nothing else. */
const clock = { now: () => new Date('2026-03-01T10:00:00Z') };

function setup() {
  const crm = new FakeCrmContacts(clock);
  const own = new OwnCrmWrites();
  const queue = new InMemoryQueue();
  const deps = { accounts: new InMemoryAccounts(), queue, clock, ownWrites: own };
  const event = (type: CrmEvent['type'], contactId: string, version: number): CrmEvent => ({
    eventId: `${type}-${contactId}-${version}`,
    type,
    contactId,
    version,
    occurredAt: clock.now().toISOString(),
  });
  return { crm, sync: rememberingOwnWrites(crm, own), queue, deps, event };
}

describe('own CRM writes', () => {
  it('the events of our create and update are echoes: answered, not queued', async () => {
    const { sync, queue, deps, event } = setup();
    const created = await sync.create(crmContactInputSchema.parse({ lastName: 'Echo' }), 'key-1');
    expect(await acceptCrmEvent(deps, event('contact.created', created.id, created.version))).toBe('echo');
    const updated = await sync.update(created.id, { firstName: 'Eva' }, created.version);
    expect(await acceptCrmEvent(deps, event('contact.updated', updated.id, updated.version))).toBe('echo');
    expect(queue.sent).toEqual([]);
  });

  it("a user's edit after our write, a late event of an older write and a delete are queued", async () => {
    const { crm, sync, queue, deps, event } = setup();
    const created = await sync.create(crmContactInputSchema.parse({ lastName: 'Echo' }), 'key-1');
    const ours = await sync.update(created.id, { firstName: 'Eva' }, created.version);
    const theirs = crm.userUpdate(created.id, { position: 'Makler' });
    expect(await acceptCrmEvent(deps, event('contact.updated', created.id, theirs.version))).toBe('queued');
    // Only the latest own write is known: the event of the first one takes the durable path.
    expect(await acceptCrmEvent(deps, event('contact.created', created.id, created.version))).toBe('queued');
    expect(await acceptCrmEvent(deps, event('contact.deleted', created.id, ours.version))).toBe('queued');
    expect(queue.take('crm-events').map((m) => m.kind === 'crmEvent' && m.version)).toEqual([
      theirs.version,
      created.version,
      ours.version,
    ]);
  });

  it('forgets the oldest contacts beyond its capacity', () => {
    const own = new OwnCrmWrites(2);
    own.record({ id: 'a', version: 1 });
    own.record({ id: 'b', version: 1 });
    own.record({ id: 'c', version: 1 });
    expect([own.isEcho('a', 1), own.isEcho('b', 1), own.isEcho('c', 1)]).toEqual([false, true, true]);
  });
});
