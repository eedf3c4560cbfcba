import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import {
  isMailboxUnavailable,
  mailboxStatusText,
  markMailboxAvailable,
  markMailboxUnavailable,
} from '../../../shared/accounts/mailbox-status.js';
import { newAccount } from '../../../shared/accounts/new-account.js';

function account(): Account {
  return newAccount(
    { email: 'anna@contoso.example', syncVersion: 'v3', provider: 'microsoft365' },
    {
      id: 'acc-1',
      now: new Date('2026-01-01T00:00:00Z'),
      instants: { deadline: new Date('2025-07-18T22:00:00Z'), shutdown: new Date('2025-07-31T22:00:00Z') },
    },
  );
}

describe('mailbox status (issue 13: unavailable is not empty)', () => {
  const t0 = new Date('2026-03-01T10:00:00Z');
  const t1 = new Date('2026-03-01T10:15:00Z');

  it('records the Graph code and since when, in plain words', () => {
    const marked = markMailboxUnavailable(account(), 'MailboxNotEnabledForRESTAPI', t0);
    expect(isMailboxUnavailable(marked)).toBe(true);
    expect(marked.status.mailbox).toEqual({
      state: 'unavailable',
      code: 'MailboxNotEnabledForRESTAPI',
      since: t0.toISOString(),
      lastCheckedAt: t0.toISOString(),
    });
    expect(marked.status.lastError).toMatch(/cannot be read right now: .*not enabled.*Nothing was deleted/);
  });

  it('keeps the first instant when the mailbox is still unavailable later', () => {
    const again = markMailboxUnavailable(
      markMailboxUnavailable(account(), 'ResourceNotFound', t0),
      'ErrorAccessDenied',
      t1,
    );
    expect(again.status.mailbox).toMatchObject({
      code: 'ErrorAccessDenied',
      since: t0.toISOString(),
      lastCheckedAt: t1.toISOString(),
    });
    expect(again.status.lastError).toMatch(/application access policy/);
  });

  it('clears the state and the error when the mailbox is back, and leaves others alone', () => {
    const back = markMailboxAvailable(markMailboxUnavailable(account(), 'ResourceNotFound', t0));
    expect(back.status.mailbox).toBeNull();
    expect(back.status.lastError).toBeNull();
    expect(isMailboxUnavailable(back)).toBe(false);
    const other = { ...account(), status: { ...account().status, lastError: 'throttled' } };
    expect(markMailboxAvailable(other)).toBe(other);
  });

  it('names an unknown code as Graph gave it', () => {
    expect(
      mailboxStatusText({ state: 'unavailable', code: 'ErrorX', since: 'x', lastCheckedAt: 'x' }),
    ).toMatch(/Exchange answered ErrorX/);
  });
});
