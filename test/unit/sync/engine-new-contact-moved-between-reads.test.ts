import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Whole-stack soak seed 1099856498, sequence 3 of 6 (issue 14): the Outlook user creates a
 * contact and, before the sync has linked it, drags it into another folder while a delta round
 * is between its folders: the default folder was read before the move, the other folder after
 * it. Both list the new contact (one immutable id), so the round holds it twice and plans two
 * CRM creates for it, with the same idempotency key. When the second create's replay of the
 * first came back after the first had linked the pair, the replayed CRM contact read as
 * "linked to another pair", the next key of the chain made a second CRM contact, whose link
 * then clashed with the first; left tagged and unlinked, a CRM event copied it to Outlook: one
 * contact twice in the CRM and twice in Outlook.
 */

const MAILBOX = 'makler@example.de';

/**
 * `secondCreateAfterLink`: the second create of the round waits until the first one's link is
 * written (on the stack: any order of the two concurrent creates and mirror writes).
 * `editBetweenReads`: the Outlook user edits the contact too before the second folder is read,
 * so the two listings differ (the later one is the contact as it is).
 */
async function movedBetweenReads(options: { secondCreateAfterLink: boolean; editBetweenReads: boolean }) {
  const world = new World();
  await world.addAccount();
  world.exchange.setImmutableIds(MAILBOX, true);
  const kunden = world.exchange.addFolder(MAILBOX, 'Kunden');
  await world.run(world.task('connect'));
  await world.drain();

  const contact = world.exchange.userCreate(MAILBOX, {
    givenName: 'Pia',
    surname: 'Probe',
    emailAddresses: [{ address: 'pia@example.de' }],
  });
  let reads = 0;
  world.exchange.hooks.onEnter('delta', () => {
    reads++;
    if (reads !== 2) return; // the default folder is read first, Kunden second
    if (options.editBetweenReads) world.exchange.userUpdate(MAILBOX, contact.id, { jobTitle: 'Notarin' });
    world.exchange.userMove(MAILBOX, contact.id, kunden);
  });
  let creates = 0;
  world.crm.hooks.onEnter('create', async () => {
    creates++;
    if (creates !== 2 || !options.secondCreateAfterLink) return;
    for (let i = 0; i < 100 && !(await world.mirror.getByExchangeId('acc-1', contact.id)); i++)
      await new Promise((resolve) => setTimeout(resolve, 0));
  });
  world.inbox.length = 0;
  await world.run(world.exchangeChanged());
  world.exchange.hooks.onEnter('delta', null);
  world.crm.hooks.onEnter('create', null);
  const { failures } = await world.drain();
  await world.run(world.reconcile());
  await world.drain();
  return { world, contact, kunden, failures, reads, creates };
}

describe('a new Outlook contact moved between the reads of two folders of one round', () => {
  for (const secondCreateAfterLink of [true, false])
    for (const editBetweenReads of [false, true])
      it(`stays one contact on each side (second create ${secondCreateAfterLink ? 'after' : 'alongside'} the first link${editBetweenReads ? ', edited between the reads' : ''})`, async () => {
        const { world, contact, kunden, failures, reads, creates } = await movedBetweenReads({
          secondCreateAfterLink,
          editBetweenReads,
        });

        expect(reads).toBeGreaterThanOrEqual(2);
        // Both folders listed it; the round plans it once (before: twice, with one key).
        expect(creates).toBe(1);
        expect(failures).toEqual([]);
        expect(world.exchange.all(MAILBOX).map((x) => x.id)).toEqual([contact.id]);
        const crm = world.crm.all();
        expect(crm).toHaveLength(1);
        expect(crm[0]?.syncAccounts).toEqual(['acc-1']);
        expect(await world.links()).toMatchObject([
          { crmId: crm[0]?.id, exchangeId: contact.id, exchangeFolderId: kunden },
        ]);
        if (editBetweenReads) expect(crm[0]?.position).toBe('Notarin');
      });
});

/**
 * The same move between the reads, with the contact's e-mail changed between them to one of
 * an existing CRM contact: the two listings plan two different things (a new CRM contact for
 * the first, a match for the second), and one of them was left behind, tagged and unlinked,
 * which a CRM event then copied to Outlook. A round plans one listing per contact, the later
 * one (the contact as it is).
 */
it("a new Outlook contact moved between the reads and given an existing CRM contact's e-mail is matched once", async () => {
  const world = new World();
  await world.addAccount();
  world.exchange.setImmutableIds(MAILBOX, true);
  const kunden = world.exchange.addFolder(MAILBOX, 'Kunden');
  const existing = world.crm.userCreate({
    firstName: 'Max',
    lastName: 'Muster',
    emails: [{ address: 'max@example.de', type: 'business' }],
  });
  await world.run(world.task('connect'));
  await world.drain();

  const contact = world.exchange.userCreate(MAILBOX, {
    givenName: 'Max',
    surname: 'Muster',
    emailAddresses: [{ address: 'max.muster@example.de' }],
  });
  let reads = 0;
  world.exchange.hooks.onEnter('delta', () => {
    if (++reads !== 2) return; // the default folder is read first, Kunden second
    world.exchange.userUpdate(MAILBOX, contact.id, { emailAddresses: [{ address: 'max@example.de' }] });
    world.exchange.userMove(MAILBOX, contact.id, kunden);
  });
  world.inbox.length = 0;
  await world.run(world.exchangeChanged());
  world.exchange.hooks.onEnter('delta', null);
  const { failures } = await world.drain();
  await world.run(world.reconcile());
  await world.drain();

  expect(reads).toBeGreaterThanOrEqual(2);
  expect(failures).toEqual([]);
  expect(world.exchange.all(MAILBOX).map((x) => x.id)).toEqual([contact.id]);
  expect(world.crm.all().map((c) => [c.id, c.syncAccounts])).toEqual([[existing.id, ['acc-1']]]);
  expect(await world.links()).toMatchObject([
    { crmId: existing.id, exchangeId: contact.id, exchangeFolderId: kunden },
  ]);
});
