import type { CrmEmails } from '../mail/ports.js';
import type { SyncDeps } from '../sync/deps.js';
import type { CrmContactIndex } from './contact-index.js';
import type { ExchangeMail, MailStore } from './ports.js';

/** What the mail sync needs besides the engine's ports (accounts, lease, queue, clocks, settings). */
export interface MailDeps extends SyncDeps {
  exchangeMail: ExchangeMail;
  crmEmails: CrmEmails;
  mailStore: MailStore;
  contactIndex: CrmContactIndex;
  /** The tenant of accounts that name none (the app's own Entra tenant, GRAPH_TENANT_ID). */
  defaultTenantId: string;
}
