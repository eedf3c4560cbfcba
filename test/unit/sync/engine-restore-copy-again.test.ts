import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Whole-stack soak seeds 1169968522 (its second route, open after 3c45f5c) and 1664384262
 * (issue 14): an Outlook contact deleted to Deleted Items while its CRM contact was edited is
 * re-created in Outlook from the CRM (edit beats delete, DESIGN 9.6): the copy. The user then
 * restores the original from Deleted Items and it takes the copy's place (restored-original.ts):
 * the sync deletes the copy. That delete went to Deleted Items too (Graph's DELETE does), so
 * the user's next restore from Deleted Items brought the copy back; unlinked, it found its CRM
 * contact linked to the original and became a CRM contact of its own (match.ts): the contact
 * twice in the CRM and twice in Outlook. The sync's removal of its own surplus copy is now a
 * permanent delete: nothing of it is left for the user to restore.
 */

const MAILBOX = 'makler@example.de';

describe('the copy a restored original replaced', () => {
  it('is gone for good: restoring from Deleted Items again brings nothing back (1 + 1)', async () => {
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
    world.exchange.userSoftDelete(MAILBOX, original.id);
    world.crm.userUpdate(crm.id, { lastName: 'Berg', position: 'Notar' });
    await world.drain();
    const [copy] = world.exchange.all(MAILBOX);
    expect(copy?.id).not.toBe(original.id);

    // The user restores the original (the only contact in Deleted Items): it takes the copy's place.
    const [deleted] = world.exchange.deletedItems(MAILBOX);
    if (!deleted) throw new Error('nothing in Deleted Items');
    world.exchange.userRestore(MAILBOX, deleted);
    expect((await world.drain()).failures).toEqual([]);
    expect(world.exchange.all(MAILBOX).map((x) => x.id)).toEqual([original.id]);

    // Then restores "the other contact" from Deleted Items, as the soak's second OutlookRestore did.
    for (const again of world.exchange.deletedItems(MAILBOX)) world.exchange.userRestore(MAILBOX, again);
    const { failures } = await world.drain();
    await world.run(world.reconcile());
    await world.drain();

    expect(failures).toEqual([]);
    expect(world.crm.all().map((c) => [c.id, c.lastName, c.position])).toEqual([[crm.id, 'Berg', 'Notar']]);
    expect(world.exchange.all(MAILBOX).map((x) => [x.id, x.surname, x.personalNotes])).toEqual([
      [original.id, 'Berg', 'nur Outlook'],
    ]);
    expect((await world.links()).map((l) => [l.crmId, l.exchangeId])).toEqual([[crm.id, original.id]]);
    expect(world.exchange.deletedItems(MAILBOX)).toEqual([]);
  });
});
