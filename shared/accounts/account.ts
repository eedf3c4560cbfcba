import { z } from 'zod';
import type { MailAccountState } from '../mail-sync/mail-state.js';
import type { OnPremisesConnection } from './on-premises.js';

/** A mailbox account whose contacts are synced with the CRM. */

export const providerSchema = z.enum(['microsoft365', 'ionos', 'onPremises', 'unknown']);
export type Provider = z.infer<typeof providerSchema>;

export const migrationStateSchema = z.enum(['ok', 'migrationRequired', 'migrationOverdue', 'syncStopped']);
export type MigrationState = z.infer<typeof migrationStateSchema>;

export interface Banner {
  severity: 'warning' | 'critical';
  text: { de: string; en: string };
  action: { label: string; href: string };
}

export interface AccountSubscription {
  id: string;
  expirationDateTime: string;
  clientState: string;
  /** The folder (or null for the whole mailbox's /contacts) the subscription watches. */
  resource: string;
}

export interface PendingCreate {
  /** The side the contact is being created on. */
  side: 'crm' | 'exchange';
  /** The id of the contact on the other side it is created from. */
  sourceId: string;
  /** Ownership marker (Exchange) or idempotency key (CRM) of the create. */
  linkId: string;
  at: string;
}

/**
 * Graph cannot read the mailbox right now (ErrorKind `mailboxUnavailable`): the Graph error
 * code, since when, and the last time a piece of work found it so. See mailbox-status.ts.
 */
export interface MailboxStatus {
  state: 'unavailable';
  code: string;
  since: string;
  lastCheckedAt: string;
}

export interface Account {
  id: string;
  email: string;
  /** Graph user id or UPN used in `/users/{userId}`. */
  userId: string;
  tenantId: string | null;
  provider: Provider;
  syncVersion: 'v2' | 'v3';
  /** Country used to read national phone numbers (ISO 3166 alpha-2). */
  defaultCountry: string;
  /** Folder CRM contacts are written into; null = the mailbox's default Contacts folder. */
  targetFolderId: string | null;
  /** What an Exchange delete does in the CRM (DESIGN section 9, rule 6). */
  exchangeDeleteAction: 'unlink' | 'delete';
  /** Stored deltaLink per Exchange contact folder id. */
  deltaLinks: Record<string, string>;
  /** Updated-since cursor of the CRM sweep (ISO instant). */
  crmCursor: string | null;
  subscription: AccountSubscription | null;
  migration: {
    state: MigrationState;
    banner: Banner | null;
    history: { at: string; from: MigrationState | null; to: MigrationState }[];
  };
  /**
   * Creates started but not yet recorded in the mirror. Written before the remote create and
   * cleared after the mirror write, so a worker that crashed in between is resumed by the next
   * run without creating the contact twice (DESIGN section 9, rule 4).
   */
  pendingCreates: PendingCreate[];
  status: {
    lastSyncAt: string | null;
    /** Start of the last delta round that completed; exchangeChanged hints older than this are covered by it. */
    lastDeltaStartedAt: string | null;
    lastError: string | null;
    /** Deletes held by the mass-delete guard, waiting for confirmation. */
    heldDeletes: number;
    /** Set by the user to let the next delta round carry out the held deletes. */
    heldDeletesConfirmed: boolean;
    /**
     * Exchange deletes carried out lately (one entry per delta round that deleted), kept for the
     * mass-delete guard's window: a slow wipe is held once it adds up. Absent on older rows.
     */
    recentDeletes?: { at: string; count: number }[];
    /** Warnings recorded in the action log so far (values kept back by the limits, conflicts). */
    warnings: number;
    /** Set while Graph cannot read the mailbox; absent or null when it can (older rows lack it). */
    mailbox?: MailboxStatus | null;
    /**
     * Set when Exchange asked us to wait (EWS ErrorServerBusy with BackOffMilliseconds): the
     * account's next run is the polling timer's first after this instant (poll-schedule.ts);
     * cleared by work that got through. Absent or null otherwise (older rows lack it).
     */
    backOffUntil?: string | null;
  };
  /**
   * Set exactly when `provider` is `onPremises`: the account is reached over EWS and polled,
   * not over Graph with subscriptions. Absent on Microsoft 365 accounts (and older rows).
   */
  onPremises?: OnPremisesConnection | null;
  /** The mail sync's state (shared/mail-sync/mail-state.ts); absent until its first round. */
  mail?: MailAccountState | null;
  /**
   * Set while the account is being removed (`DELETE /api/accounts/{id}`,
   * shared/service/remove-account.ts): nothing syncs any more, and the removal task's
   * checkpoint is the step it goes on at. Absent or null on an account that is not removed.
   */
  removal?: AccountRemoval | null;
  createdAt: string;
}

/** The removal's steps, in the order they run; the account row goes last. */
export const REMOVAL_STEPS = ['subscriptions', 'links', 'mail', 'log', 'secret', 'row'] as const;
export type RemovalStep = (typeof REMOVAL_STEPS)[number];

export interface AccountRemoval {
  state: 'removing';
  requestedAt: string;
  /** The step the removal task goes on at (what came before it is done). */
  step: RemovalStep;
}
