export { classifyGraphError, scrubSecrets, toSyncError } from './classify-graph-error.js';
export { type BatchItemResult, MAX_BATCH } from './contact-batch.js';
export type { GraphDeltaPage } from './contact-delta.js';
export type { SkippedItem } from './contact-page.js';
export {
  type BatchCreateItem,
  type BatchUpdateItem,
  GraphExchangeContacts,
  type GraphExchangeContactsOptions,
} from './exchange-contacts.js';
export { createGraphClient, GRAPH_SCOPE, type GraphClientConfig } from './graph-client.js';
export { DEFAULT_LINK_PROPERTY_ID, LINK_PROPERTY_GUID } from './link-marker.js';
export {
  APP_WIDE,
  MailboxScheduler,
  type MailboxSchedulerOptions,
  type RunOptions,
} from './mailbox-scheduler.js';
export { type BudgetLimits, OUTLOOK_LIMITS, RequestBudget } from './request-budget.js';
export { type Backoff, backoffDelayMs, isRetryableStatus, parseRetryAfter } from './retry-timing.js';
