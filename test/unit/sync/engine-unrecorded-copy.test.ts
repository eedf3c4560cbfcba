import { describe, expect, it } from 'vitest';
import { World } from './support/world.js';

/**
 * Whole-stack soak seed 567027178 (BENCHMARKS.md), a limit of what the sync can know: a tagged
 * CRM contact is copied to Outlook and the worker dies after the create, before the link's
 * mirror write. Before any worker resumes the account, the Outlook user moves the new copy,
 * edits it and deletes it. The retry looks for the copy by its ownership marker (pending.ts)
 * and finds none, which is also what a create that never happened leaves (a 503, a worker
 * killed before the request went out): the engine cannot tell the two apart (Graph v1.0 reads
 * no contact in Deleted Items by marker, and a purged one not at all), so it copies the
 * tagged contact again rather than drop its tag. The Outlook user sees the deleted contact
 * come back once; nothing is lost. The whole-stack model allows exactly this case.
 */
const MAILBOX = 'makler@example.de';

async function taggedContact(world: World) {
  await world.addAccount();
  const contact = world.crm.userCreate({
    firstName: 'Clara',
    lastName: 'Meier',
    emails: [{ address: 'clara@example.de', type: 'business' }],
    syncAccounts: ['acc-1'],
  });
  return contact;
}

describe('a copy the sync made and the user deleted before its link was recorded', () => {
  it('is made again, as after a create that failed', async () => {
    const deleted = new World();
    const crmContact = await taggedContact(deleted);
    const kunden = deleted.exchange.addFolder(MAILBOX, 'Kunden');
    deleted.mirror.crashBeforeNextMirrorWrite(1);
    deleted.inbox.length = 0; // the CRM event's fan-out, as one message:
    const event = deleted.crmChanged(crmContact.id, crmContact.version);
    await expect(deleted.run(event)).rejects.toThrow(/InjectedCrash|killed/);
    const [copy] = deleted.exchange.all(MAILBOX);
    if (!copy) throw new Error('the copy was not created');
    expect(await deleted.links()).toHaveLength(0);
    const moved = deleted.exchange.userMove(MAILBOX, copy.id, kunden);
    deleted.exchange.userUpdate(MAILBOX, moved, { jobTitle: 'Notar' });
    deleted.exchange.userSoftDelete(MAILBOX, moved);
    deleted.inbox.length = 0;
    deleted.inbox.push(event); // the queue redelivers the message
    await deleted.drain();

    const failed = new World();
    const same = await taggedContact(failed);
    failed.exchange.hooks.failNext('create', 'transient');
    failed.inbox.length = 0;
    const again = failed.crmChanged(same.id, same.version);
    await expect(failed.run(again)).rejects.toThrow();
    expect(failed.exchange.all(MAILBOX)).toHaveLength(0);
    failed.inbox.push(again);
    await failed.drain();

    for (const world of [deleted, failed]) {
      const [crm] = world.crm.all();
      expect(world.exchange.all(MAILBOX)).toHaveLength(1);
      expect(crm?.syncAccounts).toEqual(['acc-1']);
      expect(await world.links()).toMatchObject([{ crmId: crm?.id, origin: 'crm' }]);
    }
  });
});
