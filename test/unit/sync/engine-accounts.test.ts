import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/** Two accounts sharing CRM contacts (issue 14, item 6: echo suppression is per account). */

const FIRST = 'makler@example.de';
const SECOND = 'assistenz@example.de';

async function twoAccounts() {
  const world = new World();
  await world.addAccount();
  await world.addAccount({ id: 'acc-2', email: SECOND, userId: SECOND });
  await world.run(world.task('connect'));
  await world.run(world.task('connect', 'acc-2'));
  await world.drain();
  return world;
}

describe('a contact tagged for two accounts', () => {
  it('an Outlook edit in the first mailbox reaches the second mailbox at once, not at the next reconcile', async () => {
    const world = await twoAccounts();
    const contact = world.crm.userCreate({ lastName: 'Geteilt', syncAccounts: ['acc-1', 'acc-2'] });
    await world.drain();
    const [first] = world.exchange.all(FIRST);
    expect(world.exchange.all(SECOND)).toHaveLength(1);

    world.exchange.userUpdate(FIRST, first?.id ?? '', { jobTitle: 'Notarin' });
    await world.drain(); // no reconcile: only the events the services send

    expect(world.crm.peek(contact.id)?.position).toBe('Notarin');
    expect(world.exchange.all(SECOND).map((c) => c.jobTitle)).toEqual(['Notarin']);
  });

  it('the echo of a write for a contact only one account holds is still dropped', async () => {
    const world = await twoAccounts();
    world.crm.userCreate({ lastName: 'Allein', syncAccounts: ['acc-1'] });
    await world.drain();
    const [copy] = world.exchange.all(FIRST);
    world.echoesDropped = 0;
    world.exchange.userUpdate(FIRST, copy?.id ?? '', { jobTitle: 'Maklerin' });
    await world.drain();
    expect(world.echoesDropped).toBe(1);
  });
});
