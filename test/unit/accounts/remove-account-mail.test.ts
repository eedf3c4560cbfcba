import { describe, expect, it } from 'vitest';
import type { MailDeps } from '../../../shared/mail-sync/deps.js';
import { mailSyncMessage } from '../../../shared/mail-sync/mail-jobs.js';
import { handleMailSync } from '../../../shared/mail-sync/mail-round.js';
import { emptyMailState } from '../../../shared/mail-sync/mail-state.js';
import type { ExchangeMail } from '../../../shared/mail-sync/ports.js';
import { requestRemoval, runRemoval } from '../../../shared/service/remove-account.js';
import { MemoryCrmEmails, MemoryMailStore } from '../mail-sync/fakes.js';
import { World } from '../sync/support/world.js';

/**
 * Removing an account and its mail sync (issue 18 item 5): the mail round stops for a
 * `removing` account; the removal deletes the message subscription and the account's mail
 * state (the messages it linked, the unlinked ones, the subscription's owner row).
 */
function mailWorld() {
  const world = new World();
  const mailStore = new MemoryMailStore();
  const deletedSubscriptions: string[] = [];
  const untouchable = () => {
    throw new Error('the mailbox must not be read');
  };
  const exchangeMail = {
    ownAddresses: untouchable,
    syncedFolders: untouchable,
    messageDelta: untouchable,
    contents: untouchable,
    messages: untouchable,
    createMessageSubscription: untouchable,
    renewSubscription: untouchable,
    getSubscription: untouchable,
    deleteSubscription: async (id: string) => {
      deletedSubscriptions.push(id);
    },
  } as unknown as ExchangeMail;
  const deps: MailDeps = {
    ...world.deps,
    exchangeMail,
    crmEmails: new MemoryCrmEmails(),
    mailStore,
    contactIndex: {} as never,
    defaultTenantId: 'tenant-1',
  };
  return { world, deps, mailStore, deletedSubscriptions };
}

async function withMail(world: World, deps: MailDeps, mailStore: MemoryMailStore) {
  const account = await world.addAccount();
  await world.editAccount(account.id, (a) => ({
    ...a,
    mail: {
      ...emptyMailState(),
      subscription: { id: 'mail-sub-1', expirationDateTime: '2025-03-05T08:00:00.000Z', clientState: 'cs' },
    },
  }));
  await mailStore.putSubscriptionOwner('mail-sub-1', account.id);
  const copies = Array.from({ length: 7 }, (_, n) => ({
    messageId: `msg-${n}`,
    copy: { key: `key-${n}`, folder: 'inbox' },
  }));
  await deps.mailStore.applyCopies(account.id, copies, []);
  await deps.mailStore.rememberUnlinked(account.id, [
    { messageId: 'lonely-1', folder: 'inbox', addresses: ['x@fremd.example'], receivedAt: null },
    { messageId: 'lonely-2', folder: 'inbox', addresses: ['y@fremd.example'], receivedAt: null },
  ]);
  return account;
}

describe("removing an account's mail sync", () => {
  it('stops the mail round of a removing account before it reads the mailbox', async () => {
    const { world, deps, mailStore } = mailWorld();
    const account = await withMail(world, deps, mailStore);
    await requestRemoval(world.deps, account.id);
    const result = await handleMailSync(deps, mailSyncMessage(account.id, true, 'test', world.clock.now()));
    expect(result.outcome).toBe('skipped');
    expect(result.reason).toMatch(/being removed/);
  });

  it('waits for a mail round under way (the mail lease): nothing is removed while it may still write', async () => {
    const { world, deps, mailStore } = mailWorld();
    const account = await withMail(world, deps, mailStore);
    await requestRemoval(world.deps, account.id);
    const round = await world.deps.lease.acquire(`mail:${account.id}`, 60_000);
    expect(round).not.toBeNull();

    await expect(runRemoval(deps, account.id)).rejects.toThrow(/another worker/);
    expect((await mailStore.knownCopies(account.id)).size).toBe(7);
    expect((await world.deps.accounts.get(account.id))?.value.removal?.step).toBe('subscriptions');

    await round?.release();
    expect(await runRemoval(deps, account.id)).toMatchObject({ outcome: 'removed' });
    expect((await mailStore.knownCopies(account.id)).size).toBe(0);
  });

  it('deletes the message subscription and the mail state, in pages', async () => {
    const { world, deps, mailStore, deletedSubscriptions } = mailWorld();
    const account = await withMail(world, deps, mailStore);
    await requestRemoval(world.deps, account.id);

    let runs = 0;
    for (;;) {
      runs++;
      const result = await runRemoval(deps, account.id, { pageSize: 3, pagesPerMessage: 3 });
      if (result.outcome !== 'continued') break;
      if (runs > 20) throw new Error('the removal does not end');
    }

    expect(runs).toBeGreaterThan(1);
    expect(deletedSubscriptions).toEqual(['mail-sub-1']);
    expect(await mailStore.subscriptionOwner('mail-sub-1')).toBeNull();
    expect((await mailStore.knownCopies(account.id)).size).toBe(0);
    const left = [];
    for await (const copy of mailStore.unlinked(account.id)) left.push(copy);
    expect(left).toEqual([]);
    expect(await world.deps.accounts.get(account.id)).toBeNull();
  });
});
