import type { Account } from '../accounts/account.js';
import type { TenantSettingsStore } from '../mail/settings-store.js';
import type {
  Accounts,
  Clock,
  CrmContacts,
  ExchangeContacts,
  Lease,
  Mirror,
  Queue,
  SecretStore,
} from '../ports.js';

/** Everything the sync engine needs from the outside, handed in by the shell (functions/, local/). */
export interface SyncDeps {
  /**
   * The Exchange adapter of the account being worked on. The workers bind it per account from
   * `exchangeFor` (exchange-router.ts `forAccount`), so the engine never asks which one it is.
   */
  exchange: ExchangeContacts;
  /**
   * Which adapter serves an account, where accounts differ (functions/runtime.ts): EWS for an
   * on-premises account, Graph for the others. Absent: `exchange` serves every account.
   */
  exchangeFor?: (account: Account) => ExchangeContacts;
  crm: CrmContacts;
  mirror: Mirror;
  accounts: Accounts;
  queue: Queue;
  lease: Lease;
  /** The product's clock: migration deadlines, action-log times (may start at SYNC_CLOCK_START). */
  clock: Clock;
  /**
   * Real time, for what other systems check against their own clocks: Graph subscription
   * expiries and the CRM signature's replay window. Equal to `clock` unless the clock was shifted.
   */
  wallClock: Clock;
  settings: SyncSettings;
  /**
   * Account secrets (an on-premises account's password, under `account.onPremises.secretName`):
   * Key Vault in Azure, encrypted at rest locally (shared/adapters/secrets/).
   */
  secrets: SecretStore;
  /**
   * Tenants' settings (the mail blocklist; shared/mail/settings-store.ts). Absent: no tenant
   * has any (the defaults apply), as in tests that build deps of their own.
   */
  tenantSettings?: TenantSettingsStore;
  log: (line: string) => void;
}

export interface SyncSettings {
  /** `windowMs`: how far back deletes add up for the guard (default 24 h, mass-delete.ts). */
  massDelete: { share: number; min: number; windowMs?: number };
  migration: { deadline: Date; shutdown: Date };
  /** How long a worker waits for another worker of the same account before it gives up (and retries later). */
  leaseWaitMs: number;
  /** The function app's public base URL; Graph posts notifications under it. */
  publicBaseUrl: string;
  /** Graph's cap on a contact subscription's lifetime (GRAPH_SUBSCRIPTION_MAX_MINUTES; default 10,080). */
  subscriptionMaxMinutes?: number;
  /** How often a polled (EWS) account is polled (EWS_POLL_INTERVAL_SECONDS; default 2 minutes). */
  pollIntervalMs?: number;
}
