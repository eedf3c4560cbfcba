import type { Fault } from './faults.js';
import type { RequestLogSummary } from './request-log.js';

export interface ThrottleOptions {
  requestsPerWindow: number;
  windowMs: number;
  concurrency: number;
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
  /** App roles of the user in the product's API (e.g. `Sync.TenantAdmin`). */
  roles: string[];
}

/** A mailbox is a user of its tenant; with a password it can sign in (ROPC, the sign-in page). */
export interface CreateMailboxInput {
  id?: string;
  mail: string;
  tenantId?: string;
  displayName?: string;
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
}

export interface GraphEmulatorAdmin {
  reset(): void;
  createMailbox(input: CreateMailboxInput): MailboxInfo;
  mailboxes(): MailboxInfo[];
  /** Every contact of the mailbox, all folders, as stored (with parentFolderId and extended properties). */
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
