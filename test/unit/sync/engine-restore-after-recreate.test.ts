import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Whole-stack soak seed 1169968522 (issue 14): an Outlook user deletes a contact to Deleted
 * Items, a CRM user edits its CRM contact, so the sync brings the contact back to Outlook as a
 * new copy (edit beats delete, DESIGN 9.6); then the Outlook user restores the original from
 * Deleted Items (Graph: the same immutable id). The restored original came in as a contact of
 * its own: its first create's idempotency key replayed the CRM contact, which the copy held by
 * then, so the next key made a second CRM contact, and Outlook kept two as well.
 */

const MAILBOX = 'makler@example.de';

async function recreatedThenRestored() {
  const world = new World();
  await world.addAccount();
  world.exchange.setImmutableIds(MAILBOX, true);
  await world.run(world.task('connect'));
  await world.drain();
  const original = world.exchange.userCreate(MAILBOX, {
    givenName: 'Rita',
    surname: 'Rückkehr',
    emailAddresses: [{ address: 'rita@example.de' }],
    personalNotes: 'nur Outlook',
  });
  await world.drain();
  const [crm] = world.crm.all();
  if (!crm) throw new Error('the Outlook contact did not reach the CRM');

  const deleted = world.exchange.userSoftDelete(MAILBOX, original.id);
  world.crm.userUpdate(crm.id, {
    lastName: 'Berg',
    emails: [{ address: 'rita.berg@example.de', type: null }],
    notes: 'Rückruf am Montag',
  });
  await world.drain();
  const copies = world.exchange.all(MAILBOX);
  return { world, original, deleted, crm, copies };
}

describe('an Outlook contact restored after the sync re-created it from the CRM', () => {
  it('the sync re-creates a deleted contact that the CRM edited (the set-up)', async () => {
    const { world, original, copies } = await recreatedThenRestored();
    expect(copies).toHaveLength(1);
    expect(copies[0]?.id).not.toBe(original.id);
    expect(world.crm.all()).toHaveLength(1);
  });

  it('stays one contact on each side: the restored original takes the place of the copy', async () => {
    const { world, original, deleted, crm } = await recreatedThenRestored();

    world.exchange.userRestore(MAILBOX, deleted);
    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.crm.all().map((c) => c.id)).toEqual([crm.id]);
    const outlook = world.exchange.all(MAILBOX);
    expect(outlook.map((x) => x.id)).toEqual([original.id]);
    // The CRM user's edit reached the restored contact; what only Outlook holds stayed.
    expect(outlook[0]).toMatchObject({ surname: 'Berg', personalNotes: 'nur Outlook' });
    expect(world.crm.all()[0]).toMatchObject({ lastName: 'Berg', notes: 'Rückruf am Montag' });
    expect(await world.links()).toMatchObject([{ crmId: crm.id, exchangeId: original.id }]);
  });
});
