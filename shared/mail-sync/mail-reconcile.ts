import { isDeepStrictEqual } from 'node:util';
import { SyncError } from '../errors.js';
import { type ClassifyContext, classifyMessage } from '../mail/classify.js';
import { withoutMailbox } from '../mail/merge.js';
import type { DeltaEntry } from '../mail/message.js';
import { windowStart } from '../mail/window.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { LogEntry } from '../sync/link.js';
import type { MailDeps } from './deps.js';
import { type PageOutcome, processMailPage } from './mail-page.js';
import type { MailFolderState } from './mail-state.js';
import type { KnownCopy, UnlinkedCopy } from './ports.js';
import { writeMail } from './write-mail.js';

/**
 * No mail goes missing silently (issue 17, item 6). On a full round, two compares:
 *
 * - **The mailbox against what was linked** (`reconcileMailbox`): every synced folder is
 *   listed afresh (a delta round from nothing, its deltaLink thrown away: the saved ones stay)
 *   and compared with this account's known copies. A message of the window that should be
 *   linked and is not (a delta page lost, a change the deltaLink moved past) is carried out as
 *   a delta page of its folder would have been; a known copy no synced folder holds any more
 *   (its `@removed` never came) takes only this mailbox off the CRM e-mail, which stays; an
 *   e-mail of the window that lists this mailbox without a copy behind it (a worker died
 *   between the CRM's write and our store's, and the copy went before the replay) loses that
 *   entry too. Each fix goes into the action log of the contacts on the e-mail.
 * - **What we wrote against the CRM** (`reconcileMail`): every e-mail of the window this
 *   mailbox linked is compared with what the CRM holds; one the CRM lost (deleted there, an
 *   older backup restored) or holds differently from what we last wrote is put back.
 *
 * The counts go into the account status (`reconciled`).
 */
const PARALLEL = 8;
/** Known copies confirmed gone per read by id (the adapter batches them by 20). */
const CONFIRM_CHUNK = 100;

export interface MailReconcileResult {
  checked: number;
  repaired: number;
}

export interface MailboxReconcileResult {
  /** Messages of the window listed in the synced folders. */
  listed: number;
  /** Of them, mail that should have been linked and was not (now linked). */
  missing: number;
  /** Linked copies found in another synced folder than the one recorded (a move never seen). */
  moved: number;
  /** Copies no synced folder holds any more: this mailbox's entry left their e-mail. */
  gone: number;
  /** Outcomes of the pages carried out, for the round's counts. */
  outcomes: PageOutcome[];
}

export async function reconcileMailbox(
  deps: MailDeps,
  lease: HeldLease,
  mailbox: string,
  base: Omit<ClassifyContext, 'applyWindow' | 'folder'>,
  folders: Readonly<Record<string, MailFolderState>>,
  known: Map<string, KnownCopy>,
  unlinked: Map<string, UnlinkedCopy>,
): Promise<MailboxReconcileResult> {
  const result: MailboxReconcileResult = { listed: 0, missing: 0, moved: 0, gone: 0, outcomes: [] };
  const at = deps.clock.now().toISOString();
  const log: LogEntry[] = [];
  const seen = new Set<string>();
  for (const [folderId, folder] of Object.entries(folders)) {
    const context: ClassifyContext = { ...base, folder: folder.displayName, applyWindow: true };
    for await (const page of deps.exchangeMail.messageDelta(mailbox, folderId, null)) {
      const feed: DeltaEntry[] = [];
      for (const entry of page.entries) {
        if (entry.kind !== 'message') continue; // a listing from nothing; invalid items are the delta rounds' to record
        const { message } = entry;
        seen.add(message.id);
        const classified = classifyMessage(message, context);
        if (classified.kind === 'skipped' && classified.reason === 'outsideWindow') continue;
        result.listed++;
        const copy = known.get(message.id);
        if (classified.kind === 'linked') {
          if (copy?.key === classified.key && copy.folder === folder.displayName) continue;
          feed.push(entry);
          if (copy?.key === classified.key) result.moved++;
          else {
            result.missing++;
            for (const contactId of classified.copy.contactIds) {
              log.push(
                logEntry(
                  contactId,
                  at,
                  'mailLinkedByReconcile',
                  `e-mail ${classified.key} was in the mailbox (${folder.displayName}) but not linked: linked now`,
                ),
              );
            }
          }
        } else if (classified.reason === 'noContact') {
          // Kept for relinking when a contact gains one of its addresses.
          if (!unlinked.has(message.id) && !copy) feed.push(entry);
        } else if (copy) {
          // Excluded now (categorised private, say) and still linked: the change was never seen.
          feed.push(entry);
        }
      }
      if (feed.length > 0) {
        result.outcomes.push(
          await processMailPage(
            deps,
            lease,
            mailbox,
            { entries: feed, restarted: false },
            context,
            known,
            unlinked,
          ),
        );
      }
    }
  }

  // Known copies no listing showed: read by id, as a move between two folders' listings is not a delete.
  const synced = new Set(Object.keys(folders));
  const candidates = [...known.keys()].filter((id) => !seen.has(id));
  const gone = new Map<string, KnownCopy>();
  for (let i = 0; i < candidates.length; i += CONFIRM_CHUNK) {
    const chunk = candidates.slice(i, i + CONFIRM_CHUNK);
    const found = await deps.exchangeMail.messages(mailbox, chunk);
    for (const id of chunk) {
      const message = found.get(id);
      const copy = known.get(id);
      if (!copy) continue;
      // Without a parent folder it cannot be shown to have left the synced folders.
      if (message && (message.parentFolderId == null || synced.has(message.parentFolderId))) continue;
      gone.set(id, copy);
    }
  }
  const byFolder = new Map<string, string[]>();
  for (const [id, copy] of gone) byFolder.set(copy.folder, [...(byFolder.get(copy.folder) ?? []), id]);
  for (const [folder, ids] of byFolder) {
    const entries: DeltaEntry[] = ids.map((id) => ({ kind: 'removed', id, reason: 'deleted' }));
    const context: ClassifyContext = { ...base, folder, applyWindow: true };
    result.outcomes.push(
      await processMailPage(deps, lease, mailbox, { entries, restarted: false }, context, known, unlinked),
    );
  }
  result.gone += gone.size;
  const goneKeys = new Set([...gone.values()].map((copy) => copy.key));

  // E-mails of the window that list this mailbox with no copy of ours behind them.
  const knownKeys = new Set([...known.values()].map((copy) => copy.key));
  const orphans: string[] = [];
  for await (const mail of deps.mailStore.mailsSince(
    base.tenantId,
    windowStart(base.now, base.settings.windowDays),
  )) {
    if (knownKeys.has(mail.key) || !mail.mailboxes.some((m) => m.accountId === base.accountId)) continue;
    orphans.push(mail.key);
  }
  for (const key of orphans) {
    if (await dropMailbox(deps, lease, base.tenantId, key, base.accountId)) {
      if (!goneKeys.has(key)) result.gone++;
      goneKeys.add(key);
    }
  }
  for (const key of goneKeys) {
    const stored = await deps.mailStore.getMail(base.tenantId, key);
    for (const contactId of stored?.value.contactIds ?? []) {
      log.push(
        logEntry(
          contactId,
          at,
          'mailCopyGone',
          `e-mail ${key}: the mailbox no longer holds its copy; only the mailbox's entry was removed`,
        ),
      );
    }
  }
  if (log.length > 0) {
    await lease.check();
    await deps.mirror.appendLog(base.accountId, log);
  }
  return result;
}

function logEntry(contactId: string, at: string, action: string, detail: string): LogEntry {
  return { contactKey: `crm:${contactId}`, at, level: 'warning', action, detail };
}

/**
 * Takes the account off the e-mail; false when it was not listed (any more). The CRM first:
 * with our store first, a worker dying between the two would leave the CRM listing the mailbox
 * and our store not, and nothing would find the e-mail again (it lists no copy of ours). Then
 * our store under its ETag and the CRM again (write-mail.ts), so concurrent merges still end
 * with the CRM holding the store's state.
 */
async function dropMailbox(
  deps: MailDeps,
  lease: HeldLease,
  tenantId: string,
  key: string,
  accountId: string,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await deps.mailStore.getMail(tenantId, key);
    if (!stored?.value.mailboxes.some((m) => m.accountId === accountId)) return false;
    const { key: _key, ...input } = withoutMailbox(stored.value, accountId);
    await lease.check();
    await deps.crmEmails.upsert(key, input);
    const written = await writeMail(deps, lease, tenantId, withoutMailbox(stored.value, accountId), {
      mail: stored.value,
      etag: stored.etag,
    });
    if (written) return true;
  }
  throw new SyncError('transient', 'MailContention', `the e-mail ${key} kept changing during the reconcile`);
}

export async function reconcileMail(
  deps: MailDeps,
  lease: HeldLease,
  tenantId: string,
  known: ReadonlyMap<string, KnownCopy>,
  windowDays: number,
  skip: ReadonlySet<string> = new Set(),
): Promise<MailReconcileResult> {
  const since = windowStart(deps.clock.now(), windowDays).getTime();
  const keys = [...new Set([...known.values()].map((copy) => copy.key))].filter((key) => !skip.has(key));
  const result: MailReconcileResult = { checked: 0, repaired: 0 };
  for (let i = 0; i < keys.length; i += PARALLEL) {
    await Promise.all(
      keys.slice(i, i + PARALLEL).map(async (key) => {
        const stored = await deps.mailStore.getMail(tenantId, key);
        if (!stored) return;
        const received =
          stored.value.receivedAt === null ? Number.POSITIVE_INFINITY : Date.parse(stored.value.receivedAt);
        if (received < since) return;
        result.checked++;
        const inCrm = await deps.crmEmails.get(key);
        if (inCrm && isDeepStrictEqual(inCrm, stored.value)) return;
        await lease.check();
        const { key: _key, ...input } = stored.value;
        await deps.crmEmails.upsert(key, input);
        result.repaired++;
      }),
    );
  }
  return result;
}
