import {
  type CrmContact,
  type CrmContactInput,
  crmContactInputSchema,
} from '../../../shared/contact/crm-contact.js';
import type { DeliveryRecord, Webhook } from './deliver.js';
import type { CrmFault, Faults } from './faults.js';
import type { RequestLog, RequestLogSummary } from './request-log.js';
import type { ContactStore } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';

/**
 * Test control of the emulator, in process (`running.admin`) and over HTTP (`/_emulator/…`,
 * admin-routes.ts). "As a user" changes run through the same store methods as the API, so
 * they bump versions and emit events exactly like API writes; `seed` emits no events (it sets
 * up the state that existed before anyone listened).
 */
export interface CrmEmulatorAdmin {
  /** Clears contacts, idempotency keys, faults, the request log and pending deliveries; webhooks stay. */
  reset(): void;
  /** Registers (or re-keys) a webhook; events emitted from now on are delivered to it. */
  addWebhook(webhook: Webhook): void;
  removeWebhooks(): void;
  seed(contacts: Array<Partial<CrmContactInput> & { id?: string }>): CrmContact[];
  contacts(): CrmContact[];
  createAsUser(input: Partial<CrmContactInput>): CrmContact;
  editAsUser(id: string, patch: Partial<CrmContactInput>): CrmContact;
  deleteAsUser(id: string): void;
  requests(): RequestLogSummary;
  clearRequests(): void;
  injectFault(fault: CrmFault): void;
  clearFaults(): void;
  /** Every delivery attempt (most recent 1000), for assertions on retries. */
  deliveries(): DeliveryRecord[];
  /** Resolves when no event delivery is queued, in flight, waiting for a retry, or held back. */
  idle(): Promise<void>;
}

export function createAdmin(parts: {
  store: ContactStore;
  /** The e-mails (email-store.ts); reset with the contacts. */
  emails?: { reset(): void };
  faults: Faults;
  dispatcher: WebhookDispatcher;
  requestLog: RequestLog;
}): CrmEmulatorAdmin {
  const { store, faults, dispatcher, requestLog } = parts;
  const patchSchema = crmContactInputSchema.partial();
  return {
    reset() {
      store.reset();
      parts.emails?.reset();
      faults.clear();
      requestLog.clear();
      dispatcher.reset();
    },
    addWebhook: (webhook) => dispatcher.addWebhook(webhook),
    removeWebhooks: () => dispatcher.removeWebhooks(),
    seed: (contacts) =>
      contacts.map(({ id, ...input }) => store.seed({ ...crmContactInputSchema.parse(input), id })),
    contacts: () => store.all(),
    createAsUser: (input) => store.create(crmContactInputSchema.parse(input)).contact,
    editAsUser: (id, patch) => {
      const parsed = patchSchema.parse(patch);
      const sent = new Set(Object.keys(patch));
      return store.update(id, Object.fromEntries(Object.entries(parsed).filter(([key]) => sent.has(key))));
    },
    deleteAsUser: (id) => store.remove(id),
    requests: () => requestLog.summary(),
    clearRequests: () => requestLog.clear(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    deliveries: () => dispatcher.deliveries(),
    idle: () => dispatcher.idle(),
  };
}
