import type { Accounts, Clock, CrmContacts, ExchangeContacts, Lease, Mirror, Queue } from '../ports.js';

/** Everything the sync engine needs from the outside, handed in by the shell (functions/, local/). */
export interface SyncDeps {
  exchange: ExchangeContacts;
  crm: CrmContacts;
  mirror: Mirror;
  accounts: Accounts;
  queue: Queue;
  lease: Lease;
  clock: Clock;
  settings: SyncSettings;
  log: (line: string) => void;
}

export interface SyncSettings {
  massDelete: { share: number; min: number };
  migration: { deadline: Date; shutdown: Date };
  /** How long a worker waits for another worker of the same account before it gives up (and retries later). */
  leaseWaitMs: number;
  /** The function app's public base URL; Graph posts notifications under it. */
  publicBaseUrl: string;
}
