import type { Account, MailboxStatus } from './account.js';

/**
 * The account's "this mailbox cannot be read right now" state (ErrorKind `mailboxUnavailable`,
 * issue 13 item 2). Recorded instead of retrying the message: nothing is deleted, unlinked or
 * untagged meanwhile, and reconcile (or the next notification) tries again by itself; the first
 * piece of work that gets through clears it. Pure: the clock is passed in.
 */

/** What the account's API shows, in plain words, for each way Graph says so. */
const CAUSE: Record<string, string> = {
  MailboxNotEnabledForRESTAPI:
    'Exchange says the mailbox is not enabled for the API (unlicensed, inactive or being migrated)',
  ResourceNotFound: 'Exchange cannot find this mailbox (the user may be disabled or moved)',
  ErrorInvalidUser: 'Exchange does not know this user',
  ErrorNonExistentMailbox: 'Exchange has no mailbox for this address',
  ErrorAccessDenied: 'an application access policy of the tenant keeps this app out of this mailbox',
};

export function markMailboxUnavailable(account: Account, code: string, now: Date): Account {
  const current = account.status.mailbox;
  // `since` is when it started: a repeat keeps it, a different cause keeps it too.
  const since = current?.state === 'unavailable' ? current.since : now.toISOString();
  const mailbox: MailboxStatus = { state: 'unavailable', code, since, lastCheckedAt: now.toISOString() };
  return { ...account, status: { ...account.status, mailbox, lastError: mailboxStatusText(mailbox) } };
}

/** The account after work got through: no longer unavailable (unchanged if it was not). */
export function markMailboxAvailable(account: Account): Account {
  if (!account.status.mailbox) return account;
  return { ...account, status: { ...account.status, mailbox: null, lastError: null } };
}

export function isMailboxUnavailable(account: Account): boolean {
  return account.status.mailbox?.state === 'unavailable';
}

export function mailboxStatusText(status: MailboxStatus): string {
  const cause = CAUSE[status.code] ?? `Exchange answered ${status.code}`;
  return (
    `The mailbox cannot be read right now: ${cause}. Nothing was deleted, unlinked or untagged; ` +
    `the sync tries again by itself and resumes when the mailbox is back (unavailable since ${status.since}).`
  );
}
