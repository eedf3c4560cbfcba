import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Found by the reliability model (issue 13): an Outlook user moves a synced contact while a
 * delta round is between its folders — the source folder was read before the move, the
 * destination after it. The destination lists the contact (same immutable id) in this round;
 * the source reports it `@removed` only in the next one, where no folder lists it any more.
 * That removal is the move's, not a delete: the CRM contact keeps its tag and its link.
 */
const MAILBOX = 'makler@example.de';

describe('a move that falls between two folders of one delta round', () => {
  it('keeps the link and the tag, and creates no second contact', async () => {
    const world = new World();
    await world.addAccount();
    const kunden = world.exchange.addFolder(MAILBOX, 'Kunden');
    const contact = world.exchange.userCreate(MAILBOX, { givenName: 'Pia', surname: 'Probe' });
    await world.drain();
    const [crm] = world.crm.all();
    if (!crm) throw new Error('the contact did not reach the CRM');

    // The round reads the default folder first; the move happens before it reads Kunden.
    let reads = 0;
    world.exchange.hooks.onEnter('delta', () => {
      reads++;
      if (reads === 2) world.exchange.userMove(MAILBOX, contact.id, kunden);
    });
    world.inbox.length = 0;
    await world.run(world.exchangeChanged());
    world.exchange.hooks.onEnter('delta', null);
    await world.run(world.exchangeChanged()); // the round in which the source reports @removed
    await world.drain();

    expect(world.exchange.all(MAILBOX)).toHaveLength(1);
    expect(world.crm.all()).toHaveLength(1);
    expect((await world.crm.get(crm.id))?.syncAccounts).toContain('acc-1');
    const links = [];
    for await (const link of world.mirror.list('acc-1')) links.push(link);
    expect(links).toMatchObject([{ crmId: crm.id, exchangeFolderId: kunden }]);
  });
});
