import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * An Outlook user deletes a contact to Deleted Items and restores it (Graph: the same immutable
 * id), nothing else happening. With `exchangeDeleteAction` unlink (the default) the delete
 * removed the CRM contact's sync tag; the restore is the user taking the delete back: the
 * contact is synced again and stays in Outlook.
 */

const MAILBOX = 'makler@example.de';

describe('an Outlook contact deleted and restored from Deleted Items', () => {
  for (const seenBeforeRestore of [true, false])
    it(`stays in Outlook and is synced again (delete ${seenBeforeRestore ? 'seen' : 'not seen'} before the restore)`, async () => {
      const world = new World();
      await world.addAccount();
      world.exchange.setImmutableIds(MAILBOX, true);
      await world.run(world.task('connect'));
      await world.drain();
      const original = world.exchange.userCreate(MAILBOX, {
        givenName: 'Rita',
        surname: 'Rückkehr',
        emailAddresses: [{ address: 'rita@example.de' }],
      });
      await world.drain();
      const [crm] = world.crm.all();
      if (!crm) throw new Error('the Outlook contact did not reach the CRM');

      const deleted = world.exchange.userSoftDelete(MAILBOX, original.id);
      if (seenBeforeRestore) {
        await world.drain();
        expect(world.crm.peek(crm.id)?.syncAccounts).toEqual([]);
      }
      world.exchange.userRestore(MAILBOX, deleted);
      const { failures } = await world.drain();
      await world.run(world.reconcile());
      await world.drain();

      expect(failures).toEqual([]);
      expect(world.exchange.all(MAILBOX).map((x) => x.id)).toEqual([original.id]);
      expect(world.crm.all().map((c) => [c.id, c.syncAccounts])).toEqual([[crm.id, ['acc-1']]]);
      expect(await world.links()).toMatchObject([{ crmId: crm.id, exchangeId: original.id }]);
    });
});
