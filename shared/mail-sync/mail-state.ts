import type { SkipReason } from '../mail/classify.js';
import type { MailSettings } from '../mail/settings.js';

/**
 * The mail sync's state of one account, kept in the account row (`Account.mail`, absent on
 * accounts that never synced mail) and shown in its status (issue 17, items 1 and 6):
 * - `stage`: `initialImport` until every synced folder has finished its first round (with
 *   `progress`), then `live`; `failed` with the reason when the last round failed (the next
 *   round that gets through sets it back);
 * - the folders synced, each with its deltaLink (saved after the folder's last page);
 * - the owner's addresses (from proxyAddresses), refreshed by every full round;
 * - counts: messages linked, CRM upserts, and the skipped ones by reason;
 * - the message subscription (its owner lookup lives in the mail table);
 * - the last reconcile of the window against the CRM (checked, repaired).
 */
/** What the mailbox compare found (mail-reconcile.ts reconcileMailbox). */
export interface MailboxReconcileCounts {
  listed: number;
  missing: number;
  moved: number;
  gone: number;
}

export type MailStage = 'initialImport' | 'live' | 'failed';

export interface MailFolderState {
  displayName: string;
  deltaLink: string | null;
  /**
   * Where an unfinished round of the folder resumes (the last processed page's resumeCursor);
   * cleared with the round's deltaLink. The first-import window still applies while deltaLink is null.
   */
  resumeCursor?: string | null;
}

export interface MailSubscriptionState {
  id: string;
  expirationDateTime: string;
  clientState: string;
}

export interface MailAccountState {
  stage: MailStage;
  settings?: Partial<MailSettings>;
  folders: Record<string, MailFolderState>;
  ownAddresses: string[];
  discoveredAt: string | null;
  /** Start of the last round that completed: mailSync hints older than this are covered. */
  lastRoundStartedAt: string | null;
  lastRoundAt: string | null;
  lastError: string | null;
  progress: { messagesSeen: number };
  counts: { linked: number; upserts: number; skipped: Partial<Record<SkipReason | 'invalid', number>> };
  subscription: MailSubscriptionState | null;
  /** Written by every mail round before it touches the copies (copy-cache.ts); absent on older rows. */
  copiesStamp?: string;
  /**
   * The last reconcile (mail-reconcile.ts); absent until the first: the window's e-mails
   * compared with the CRM (checked, repaired), and the mailbox's folders with what was linked
   * (`mailbox`, from the last full round that did not list the folders whole anyway).
   */
  reconciled?: {
    at: string;
    checked: number;
    repaired: number;
    mailbox?: MailboxReconcileCounts;
  };
}

export function emptyMailState(): MailAccountState {
  return {
    stage: 'initialImport',
    folders: {},
    ownAddresses: [],
    discoveredAt: null,
    lastRoundStartedAt: null,
    lastRoundAt: null,
    lastError: null,
    progress: { messagesSeen: 0 },
    counts: { linked: 0, upserts: 0, skipped: {} },
    subscription: null,
  };
}

/** Live once every synced folder has a deltaLink. */
export function stageOf(folders: Record<string, MailFolderState>): MailStage {
  const all = Object.values(folders);
  return all.length > 0 && all.every((f) => f.deltaLink !== null) ? 'live' : 'initialImport';
}

/** What GET /api/accounts/{id} shows of it: no deltaLinks, no clientState. */
export function mailStatusView(state: MailAccountState | null | undefined) {
  if (!state) return null;
  return {
    stage: state.stage,
    lastError: state.lastError,
    lastRoundAt: state.lastRoundAt,
    folders: Object.values(state.folders).map((f) => ({
      name: f.displayName,
      imported: f.deltaLink !== null,
    })),
    progress: state.progress,
    counts: state.counts,
    subscriptionExpiresAt: state.subscription?.expirationDateTime ?? null,
    reconciled: state.reconciled ?? null,
  };
}
