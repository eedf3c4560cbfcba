import type { Fault } from './faults.js';
import type { RequestLogSummary } from './request-log.js';

export interface ThrottleOptions {
  requestsPerWindow: number;
  windowMs: number;
  concurrency: number;
  /** Whose requests share the limits: app + mailbox (default, "Outlook service limits") or the app across mailboxes. */
  scope?: 'mailbox' | 'app';
  /** Retry-After on a 429: the computed seconds (default), none at all, or always `1`. */
  retryAfter?: 'seconds' | 'missing' | 'one';
}

export interface GraphEmulatorOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Where ensureLocalCertificate keeps or creates the certificate. */
  tlsDir: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The service caller (CRM backend) app registration; holds the API's `Sync.Admin` role. */
  serviceClientId?: string;
  serviceClientSecret?: string;
  /** The web app's public client id (PKCE, ROPC for scripts). */
  webClientId?: string;
  /** Redirect URIs registered besides the loopback addresses (any port). */
  redirectUris?: string[];
  /** Outlook's real limits by default: 10,000 per 600,000 ms, 4 concurrent, per app and mailbox. */
  throttle?: ThrottleOptions;
  /** Batching window for change notifications (default 0). */
  notificationDelayMs?: number;
  /**
   * Delivery latency of each change notification, drawn uniformly from [minMs, maxMs]
   * (default 0). Graph: "less than 1 minute" on average, "3 minutes" at most for contacts
   * (change-notifications-delivery-latency include). The reliability model randomises it.
   */
  notificationLatency?: { minMs: number; maxMs: number };
  /**
   * Longest subscription lifetime for contacts, in minutes. Default 10,080 (under 7 days), as
   * the current subscription-lifetime include says; older pages said 4,230.
   */
  subscriptionMaxMinutes?: number;
  /** Minutes before expiry at which `reauthorizationRequired` is posted and delivery pauses (default 60). */
  reauthorizationLeadMinutes?: number;
  /** Delivery retries for change notifications (default 4 attempts, 200 ms doubling). */
  notificationRetry?: { attempts: number; baseDelayMs: number };
  /** Added latency per Graph request, so concurrency limits are observable (default 0). */
  latencyMs?: number;
  log?: (line: string) => void;
}

export interface MailboxInfo {
  id: string;
  mail: string;
  tenantId: string;
  defaultFolderId: string;
  deletedItemsFolderId: string;
  /** Windows time-zone name (mailboxSettings.timeZone). */
  timeZone: string;
  /** App roles of the user in the product's API (e.g. `Sync.TenantAdmin`). */
  roles: string[];
}

/** A mailbox is a user of its tenant; with a password it can sign in (ROPC, the sign-in page). */
export interface CreateMailboxInput {
  id?: string;
  mail: string;
  tenantId?: string;
  displayName?: string;
  /** Windows time-zone name for mailboxSettings.timeZone (default "W. Europe Standard Time"). */
  timeZone?: string;
  password?: string;
  roles?: string[];
}

export interface SubscriptionInfo {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  clientState: string | null;
  /** Created with `Prefer: IdType="ImmutableId"`: notifications carry immutable ids. */
  immutableIds: boolean;
  /** When delivery pauses (or paused) after reauthorizationRequired; null if not challenged. */
  pauseAt: string | null;
}

/** What an Outlook user does (admin routes `/_emulator/users/{user}/…`; see outlook-user.ts). */
export interface OutlookUserAdmin {
  /** Body: Graph contact properties (birthday may be a date), optional `folderId`. */
  createContact(mailbox: string, body: unknown): Record<string, unknown>;
  updateContact(mailbox: string, id: string, body: unknown): Record<string, unknown>;
  /** `destinationId`: a folder id or the well-known `contacts` / `deleteditems`. */
  moveContact(mailbox: string, id: string, destinationId: string): Record<string, unknown>;
  /** To Deleted Items (purged if already there). */
  deleteContact(mailbox: string, id: string): void;
  deleteFolder(mailbox: string, folderId: string): void;
  deletedItems(mailbox: string): Record<string, unknown>[];
}

export interface GraphEmulatorAdmin {
  outlook: OutlookUserAdmin;
  reset(): void;
  createMailbox(input: CreateMailboxInput): MailboxInfo;
  mailboxes(): MailboxInfo[];
  /** Every contact in the mailbox's contact folders (not Deleted Items), as stored (with parentFolderId and extended properties). */
  contacts(mailbox: string): Record<string, unknown>[];
  subscriptions(): SubscriptionInfo[];
  requests(): RequestLogSummary;
  clearRequests(): void;
  fault(fault: Fault): Promise<void>;
  /** Resolves once no change or lifecycle notification is waiting or being delivered. */
  idle(): Promise<void>;
  /** Signs any claims with the published key (what only Entra can do; for token tests). */
  signToken(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** The published signing key as PEM (forged-token tests sign HS256 with it). */
  publicKeyPem(): string;
  /** Signing-key rollover: a new key signs, the previous one stays published. */
  rotateSigningKey(): void;
}

export interface RunningGraphEmulator {
  /** https://127.0.0.1:PORT — the Graph base; routes are under /v1.0. */
  url: string;
  /** Same origin; OIDC routes are under /{tenant}/… */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The app's own API: its app id (the token audience) and the scope a user token carries. */
  apiClientId: string;
  apiScope: string;
  serviceClientId: string;
  serviceClientSecret: string;
  webClientId: string;
  caPath: string;
  admin: GraphEmulatorAdmin;
  stop(): Promise<void>;
}
