import type { Account } from '../accounts/account.js';
import type { CrmEmails } from '../mail/ports.js';
import type { SyncDeps } from '../sync/deps.js';
import type { CrmContactIndex } from './contact-index.js';
import type { ExchangeMail, MailStore } from './ports.js';

/** What the mail sync needs besides the engine's ports (accounts, lease, queue, clocks, settings). */
export interface MailDeps extends SyncDeps {
  exchangeMail: ExchangeMail;
  /**
   * Which mail adapter serves an account, where accounts differ (functions/runtime.ts): EWS for
   * an on-premises account, Graph for the others; bound per round (`mailForAccount`), as
   * `exchangeFor` is for contacts. Absent: `exchangeMail` serves every account.
   */
  exchangeMailFor?: (account: Account) => ExchangeMail;
  crmEmails: CrmEmails;
  mailStore: MailStore;
  contactIndex: CrmContactIndex;
  /** The tenant of accounts that name none (the app's own Entra tenant, GRAPH_TENANT_ID). */
  defaultTenantId: string;
}

/** `deps` with the account's own mail adapter as `exchangeMail`, for a round on that account. */
export function mailForAccount(deps: MailDeps, account: Account): MailDeps {
  if (!deps.exchangeMailFor) return deps;
  return { ...deps, exchangeMail: deps.exchangeMailFor(account) };
}
