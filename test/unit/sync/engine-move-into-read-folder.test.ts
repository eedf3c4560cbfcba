import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Whole-stack soak seed 1314990689 (BENCHMARKS.md): an Outlook user moves a synced contact
 * back from Kunden to Contacts while a delta round is between the two folders. Contacts was
 * read before the move, so it lists the contact only in the next round; Kunden, read after it,
 * reports it `@removed` in this one. No folder of the round lists it, yet it was not deleted:
 * read by its (immutable) id it is still there. Taken for an Outlook delete, its CRM contact
 * lost the sync tag; and when the worker died after that CRM write, before the link's removal,
 * the retried round found the contact again under its link with the tag gone and deleted it
 * from Outlook (tag removed): the contact gone from Outlook, untagged in the CRM.
 * engine-move-between-reads.test.ts has the other order (the destination read after the move).
 */
const MAILBOX = 'makler@example.de';

/** 0: no crash; n: the worker dies before the mirror write that follows the n-th remote write. */
const CRASHES = [0, 1, 2, 3];

describe('a move into a folder the delta round has already read', () => {
  it.each(CRASHES)(
    'keeps the contact, its link and its tag (crash behind remote write %i)',
    async (crash) => {
      const world = new World();
      await world.addAccount();
      const kunden = world.exchange.addFolder(MAILBOX, 'Kunden');
      const contact = world.exchange.userCreate(MAILBOX, {
        givenName: 'Pia',
        surname: 'Probe',
        emailAddresses: [{ address: 'pia@example.de' }],
      });
      await world.drain();
      world.exchange.userMove(MAILBOX, contact.id, kunden);
      await world.drain();
      const [crm] = world.crm.all();
      if (!crm) throw new Error('the contact did not reach the CRM');
      expect(await world.links()).toMatchObject([{ crmId: crm.id, exchangeFolderId: kunden }]);

      // The round reads Contacts first; the contact moves back there before it reads Kunden.
      let reads = 0;
      world.exchange.hooks.onEnter('delta', () => {
        reads++;
        if (reads === 2)
          world.exchange.userMove(MAILBOX, contact.id, world.exchange.defaultFolderOf(MAILBOX));
      });
      if (crash > 0) world.mirror.crashBeforeNextMirrorWrite(crash);
      world.inbox.length = 0;
      await world.run(world.exchangeChanged()).catch(() => undefined); // a crash: redelivered below
      world.exchange.hooks.onEnter('delta', null);
      // Not even for a while: without a crash the next round matched it again by its e-mail.
      expect((await world.crm.get(crm.id))?.syncAccounts).toContain('acc-1');
      world.inbox.push(world.exchangeChanged());
      await world.drain();
      world.inbox.push(world.reconcile()); // the soak's drain: a reconcile on a quiet stack
      await world.drain();

      expect(world.exchange.all(MAILBOX)).toHaveLength(1);
      expect(world.crm.all()).toHaveLength(1);
      expect((await world.crm.get(crm.id))?.syncAccounts).toContain('acc-1');
      expect(await world.links()).toMatchObject([{ crmId: crm.id, exchangeId: contact.id }]);
    },
  );
});
