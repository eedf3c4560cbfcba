import { migrationState, syncAllowed } from '../accounts/migration-policy.js';
import { isSyncError, SyncError, toError } from '../errors.js';
import type { ClassifyContext } from '../mail/classify.js';
import { blocklistOf, type MailSettings, mailSettingsSchema } from '../mail/settings.js';
import { tenantMailSettingsOf } from '../mail/settings-store.js';
import type { QueueMessage } from '../queue-message.js';
import { AccountSession } from '../sync/account-session.js';
import { isPolled } from '../sync/exchange-router.js';
import { HeldLease } from '../sync/lease-guard.js';
import { copyCacheOf, MailCopyCache } from './copy-cache.js';
import { type MailDeps, mailForAccount } from './deps.js';
import { LIFECYCLE_REAUTHORIZE, MAIL_SWEEP } from './mail-jobs.js';
import { type PageOutcome, processMailPage } from './mail-page.js';
import { reconcileMail, reconcileMailbox } from './mail-reconcile.js';
import { relinkEarlierMail, relinkLinkedMail } from './mail-relink.js';
import {
  emptyMailState,
  type MailAccountState,
  type MailboxReconcileCounts,
  type MailFolderState,
  stageOf,
} from './mail-state.js';
import { ensureMailSubscription, removeMailSubscription } from './mail-subscription.js';

/**
 * The mail queue's use case (issue 17): one `mailSync` message → one mail round of the
 * account: every synced folder's delta from its deltaLink, page by page (mail-page.ts), each
 * folder's deltaLink saved after its last page. A full round (the periodic sweep, a connect)
 * first rediscovers the folders and the owner's addresses and checks the message
 * subscription. Throwing means "retry" (the queue redelivers, then dead-letters); what must
 * not be retried returns `skipped`.
 *
 * One mail writer per account: the round holds the lease `mail:<accountId>`, renewed while
 * it works and checked before every write (lease-guard.ts). It is not the contact sync's
 * `account:<id>` lease on purpose: a first import of a large mailbox takes minutes and the
 * contact sync must not wait behind it; the two share only the account row, whose writes
 * are ETag read-modify-writes (account-session.ts).
 *
 * The V2 rules (item 5): a V2 account syncs mail until the shutdown and none after it; after
 * migrating, the next round resumes from the saved deltaLinks, so nothing of the window is lost.
 */
type MailSyncMessage = Extract<QueueMessage, { kind: 'mailSync' }>;

export const MAIL_LEASE_MS = 5 * 60_000;

export interface MailRoundResult {
  outcome: 'done' | 'skipped';
  reason: string;
  upserts: number;
  linked: number;
}

const skipped = (reason: string): MailRoundResult => ({ outcome: 'skipped', reason, upserts: 0, linked: 0 });

export async function handleMailSync(deps: MailDeps, message: MailSyncMessage): Promise<MailRoundResult> {
  const before = await deps.accounts.get(message.accountId);
  if (!before) return skipped(`account ${message.accountId} does not exist (deleted?)`);
  if (!message.full && covered(before.value.mail, message.at)) {
    return skipped('a mail round started after this change was reported already covered it');
  }
  const lease = await acquire(deps, message.accountId);
  try {
    const fresh = await deps.accounts.get(message.accountId);
    if (!fresh) return skipped(`account ${message.accountId} does not exist (deleted?)`);
    // Removing an account stops its mail sync too (shared/service/remove-account.ts).
    if (fresh.value.removal) return skipped(`account ${message.accountId} is being removed`);
    // The account's own mail adapter (EWS for an on-premises account), as for contacts.
    const routed = mailForAccount(deps, fresh.value);
    const state = migrationState(fresh.value.syncVersion, deps.clock.now(), deps.settings.migration);
    if (!syncAllowed(state)) {
      await removeMailSubscription(routed, new AccountSession(routed, fresh), lease);
      return skipped(`account ${message.accountId} is on V2 and its sync stopped at the shutdown`);
    }
    if (!message.full && covered(fresh.value.mail, message.at)) {
      return skipped('a mail round started after this change was reported already covered it');
    }
    const session = new AccountSession(routed, fresh);
    try {
      return await mailRound(routed, session, lease, message);
    } catch (error) {
      copyCacheOf(deps.mailStore).drop(message.accountId);
      const reason = toError(error).message.slice(0, 500);
      await lease.check().catch(() => undefined);
      await session
        .update((a) => ({
          ...a,
          mail: { ...(a.mail ?? emptyMailState()), stage: 'failed', lastError: reason },
        }))
        .catch(() => undefined);
      if (isSyncError(error, 'mailboxUnavailable')) {
        // Not retried into the dead-letter queue: the sweep tries again once the mailbox is back.
        return skipped(`the mailbox cannot be read right now (${error.code}); the sweep retries`);
      }
      throw error;
    }
  } finally {
    await lease.release();
  }
}

function covered(mail: MailAccountState | null | undefined, at: string): boolean {
  const started = mail?.lastRoundStartedAt;
  return started !== null && started !== undefined && Date.parse(started) > Date.parse(at);
}

async function mailRound(
  deps: MailDeps,
  session: AccountSession,
  lease: HeldLease,
  message: MailSyncMessage,
): Promise<MailRoundResult> {
  const { full } = message;
  const startedAt = deps.clock.now().toISOString();
  const account = session.account;
  const settings: MailSettings = mailSettingsSchema.parse(account.mail?.settings ?? {});
  const update = async (change: (mail: MailAccountState) => MailAccountState) => {
    await lease.check();
    await session.update((a) => ({ ...a, mail: change(a.mail ?? emptyMailState()) }));
  };

  const prior = account.mail ?? emptyMailState();
  if (full || prior.discoveredAt === null || Object.keys(prior.folders).length === 0) {
    const [own, folders] = await Promise.all([
      deps.exchangeMail.ownAddresses(session.mailbox),
      deps.exchangeMail.syncedFolders(session.mailbox, settings.folders),
    ]);
    await update((mail) => {
      const next: Record<string, MailFolderState> = {};
      for (const folder of folders) {
        next[folder.id] = {
          displayName: folder.displayName,
          deltaLink: mail.folders[folder.id]?.deltaLink ?? null,
          ...(mail.folders[folder.id]?.resumeCursor
            ? { resumeCursor: mail.folders[folder.id]?.resumeCursor }
            : {}),
        };
      }
      return { ...mail, ownAddresses: own, folders: next, discoveredAt: startedAt, stage: stageOf(next) };
    });
  }
  // A polled (EWS) account has no subscription: its rounds come from the polling timer.
  if (full && !isPolled(deps, account))
    await ensureMailSubscription(deps, session, lease, message.reason === LIFECYCLE_REAUTHORIZE);

  const { index } = await deps.contactIndex.refresh();
  // The account's copies: this process's own from its last round when no other worker ran one since.
  const previousStamp = session.account.mail?.copiesStamp;
  const stamp = MailCopyCache.newStamp();
  await update((m) => ({ ...m, copiesStamp: stamp }));
  const { known, unlinked } = await copyCacheOf(deps.mailStore).load(
    deps.mailStore,
    account.id,
    previousStamp,
    stamp,
  );
  const tenantId = account.tenantId ?? deps.defaultTenantId;
  const mail = session.account.mail ?? emptyMailState();
  const base: Omit<ClassifyContext, 'applyWindow' | 'folder'> = {
    tenantId,
    accountId: account.id,
    settings,
    // The account's blocklist and its tenant's (issue 17 item 2; PATCH /api/tenants/me/mail-settings).
    blocklist: blocklistOf(settings, await tenantMailSettingsOf(deps.tenantSettings, tenantId)),
    ownAddresses: new Set(mail.ownAddresses),
    index,
    now: deps.clock.now(),
  };
  let upserts = 0;
  let linked = 0;
  const written = new Set<string>();
  const record = async (
    outcome: PageOutcome,
    folderId?: string,
    deltaLink?: string,
    resumeCursor?: string,
  ) => {
    upserts += outcome.upserts;
    for (const key of outcome.writtenKeys) written.add(key);
    linked += outcome.remembered;
    await update((m) => withOutcome(m, outcome, folderId, deltaLink, resumeCursor));
  };
  const carryOut = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      // The CRM no longer has a contact the index still named: read the contacts afresh next time.
      if (isSyncError(error, 'invalid') && error.code === 'unknown_contact') deps.contactIndex.invalidate();
      throw error;
    }
  };
  // A folder listed whole this round (its first import, or a restarted delta) needs no compare.
  let listedWhole = false;
  for (const [folderId, folder] of Object.entries(mail.folders)) {
    // An unfinished round resumes where its last processed page left it (EWS's SyncState).
    const from = folder.resumeCursor ?? folder.deltaLink;
    for await (const page of deps.exchangeMail.messageDelta(session.mailbox, folderId, from)) {
      const context = {
        ...base,
        folder: folder.displayName,
        applyWindow: folder.deltaLink === null || page.restarted,
      };
      if (context.applyWindow) listedWhole = true;
      const outcome = await carryOut(() =>
        processMailPage(deps, lease, session.mailbox, page, context, known, unlinked),
      );
      await record(outcome, folderId, page.deltaLink, page.resumeCursor);
    }
  }
  // Contacts created or given an address since this account last looked: their earlier mail.
  const changes = deps.contactIndex.changesFor(account.id);
  if (changes !== null || full) {
    const outcomes = await carryOut(() =>
      relinkEarlierMail(deps, lease, session.mailbox, base, settings.windowDays, known, unlinked),
    );
    for (const outcome of outcomes) await record(outcome);
  }
  // …and the e-mails linked already that one of the changed addresses is on: that contact too.
  if (changes !== null) {
    const outcomes = await carryOut(() =>
      relinkLinkedMail(deps, lease, session.mailbox, base, settings.windowDays, known, unlinked, changes),
    );
    for (const outcome of outcomes) await record(outcome);
  }
  if (full) {
    // The mailbox against what was linked: on the periodic sweep only (a listing of every synced
    // folder; lifecycle events and renewals ask for full rounds too, and a burst may bring
    // some), and not when this round has just listed it whole.
    let mailbox: MailboxReconcileCounts | undefined;
    if (!listedWhole && message.reason === MAIL_SWEEP) {
      const { outcomes, ...counts } = await carryOut(() =>
        reconcileMailbox(deps, lease, session.mailbox, base, mail.folders, known, unlinked),
      );
      for (const outcome of outcomes) await record(outcome);
      mailbox = counts;
    }
    // What this round wrote the CRM has just answered for; the rest is compared.
    const checked = await reconcileMail(deps, lease, tenantId, known, settings.windowDays, written);
    await update((m) => ({
      ...m,
      reconciled: {
        at: deps.clock.now().toISOString(),
        ...checked,
        ...(mailbox ? { mailbox } : m.reconciled?.mailbox ? { mailbox: m.reconciled.mailbox } : {}),
      },
    }));
  }
  await update((m) => ({
    ...m,
    stage: stageOf(m.folders),
    lastError: null,
    lastRoundStartedAt: startedAt,
    lastRoundAt: deps.clock.now().toISOString(),
  }));
  return { outcome: 'done', reason: full ? 'full mail round' : 'mail round', upserts, linked };
}

/** The account's mail state after a page: counts, progress, and the folder's deltaLink when it was the last page. */
function withOutcome(
  m: MailAccountState,
  outcome: PageOutcome,
  folderId: string | undefined,
  deltaLink: string | undefined,
  resumeCursor?: string,
): MailAccountState {
  const skipped = { ...m.counts.skipped };
  for (const [reason, n] of Object.entries(outcome.skipped) as [keyof typeof skipped, number][]) {
    skipped[reason] = (skipped[reason] ?? 0) + n;
  }
  const folder = folderId === undefined ? undefined : m.folders[folderId];
  // The round's end saves its deltaLink (and forgets where to resume); a page before it, where to resume.
  const folders =
    folderId === undefined || !folder
      ? m.folders
      : deltaLink !== undefined
        ? { ...m.folders, [folderId]: { ...withoutResume(folder), deltaLink } }
        : resumeCursor !== undefined
          ? { ...m.folders, [folderId]: { ...folder, resumeCursor } }
          : m.folders;
  return {
    ...m,
    folders,
    stage: stageOf(folders),
    lastError: null,
    progress: { messagesSeen: m.progress.messagesSeen + outcome.messages },
    counts: {
      linked: m.counts.linked + outcome.remembered - outcome.forgotten,
      upserts: m.counts.upserts + outcome.upserts,
      skipped,
    },
  };
}

function withoutResume(folder: MailAccountState['folders'][string]): MailAccountState['folders'][string] {
  const { resumeCursor: _done, ...kept } = folder;
  return kept;
}

async function acquire(deps: MailDeps, accountId: string): Promise<HeldLease> {
  const deadline = Date.now() + deps.settings.leaseWaitMs;
  const key = `mail:${accountId}`;
  let wait = 25;
  for (;;) {
    const lease = await deps.lease.acquire(key, MAIL_LEASE_MS);
    if (lease) return new HeldLease(lease, key, MAIL_LEASE_MS, deps.clock);
    if (Date.now() > deadline) {
      throw new SyncError(
        'transient',
        'AccountBusy',
        `another worker is syncing the mail of account ${accountId}`,
      );
    }
    wait = Math.min(wait * 2, 200);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
