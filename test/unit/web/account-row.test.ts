import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import { DEFAULT_MIGRATION_INSTANTS, migrationView } from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';
import { messages } from '../../../web/i18n/messages.js';
import { type AccountViewLike, accountRow } from '../../../web/models/account-row.js';
import { classifyError } from '../../../web/models/plain-error.js';
import { personalPage } from '../../../web/views/accounts.js';

const instants = DEFAULT_MIGRATION_INSTANTS;

function view(
  syncVersion: 'v2' | 'v3',
  now: string,
  patch: Partial<Account['status']> = {},
): AccountViewLike {
  const account = newAccount(
    { email: 'makler@contoso.example', syncVersion },
    { id: 'acc-1', now: new Date(now), instants },
  );
  account.status = { ...account.status, ...patch };
  return {
    ...account,
    migration: migrationView(account, new Date(now), instants),
    sync: { ...account.status, linked: 12 },
  };
}

const frame = (locale: 'de' | 'en') => ({ m: messages(locale), user: 'Anna', isAdmin: false, csrf: 'tok' });

describe('the account row and its banner', () => {
  it('is orange before the deadline, red after it, "Synchronisierung gestoppt" from the shutdown', () => {
    const m = messages('de');
    const before = accountRow(view('v2', '2025-07-18T21:59:59Z'), 'de', m);
    expect(before.banner).toMatchObject({ tone: 'orange', role: 'status', heading: null });
    expect(before.banner?.text).toContain('bis zum 18.07.2025');
    const overdue = accountRow(view('v2', '2025-07-18T22:00:00Z'), 'de', m);
    expect(overdue.banner).toMatchObject({ tone: 'red', role: 'alert', heading: null });
    const stopped = accountRow(view('v2', '2025-07-31T22:00:00Z'), 'de', m);
    expect(stopped.banner).toMatchObject({
      tone: 'red',
      role: 'alert',
      heading: 'Synchronisierung gestoppt',
    });
    expect(stopped.stateLabel).toBe('Synchronisierung gestoppt');
    const v3 = accountRow(view('v3', '2025-08-02T00:00:00Z'), 'de', m);
    expect(v3.banner).toBeNull();
    expect(v3.canMigrate).toBe(false);
  });

  it('renders the migrate button only next to a V2 account, and the banner links the address', () => {
    const m = messages('de');
    const page = personalPage(frame('de'), [
      accountRow(view('v2', '2025-07-01T00:00:00Z'), 'de', m),
    ]).toString();
    expect(page).toContain('>Zu V3 migrieren</button>');
    expect(page).toContain('role="status"');
    expect(page).toContain('<a href="/#konto-acc-1">makler@contoso.example</a>');
    expect(page).toContain('name="csrf" value="tok"');
    const migrated = personalPage(frame('de'), [
      accountRow(view('v3', '2025-07-01T00:00:00Z'), 'de', m),
    ]).toString();
    expect(migrated).not.toContain('Zu V3 migrieren');
    expect(migrated).not.toContain('class="banner');
  });

  it('speaks English when asked, with Berlin times', () => {
    const row = accountRow(
      view('v2', '2025-07-01T00:00:00Z', { lastSyncAt: '2025-07-01T10:00:00Z' }),
      'en',
      messages('en'),
    );
    expect(row.banner?.text).toContain('Please migrate');
    expect(row.lastSync).toBe('01/07/2025, 12:00');
    expect(row.stateLabel).toBe('Migration required');
  });

  it('says errors in plain words and keeps the text as detail', () => {
    expect(classifyError('Graph 404 MailboxNotEnabledForRESTAPI: REST API is not yet supported')).toBe(
      'mailboxUnavailable',
    );
    expect(classifyError('AADSTS65001: not consented')).toBe('consent');
    expect(classifyError('429 TooManyRequests')).toBe('throttled');
    expect(classifyError('socket hang up')).toBe('other');
    const row = accountRow(
      view('v3', '2025-07-01T00:00:00Z', { lastError: 'socket hang up' }),
      'de',
      messages('de'),
    );
    expect(row.error).toEqual({
      plain: 'Bei der letzten Synchronisierung ist ein Fehler aufgetreten. Sie wird automatisch wiederholt.',
      detail: 'socket hang up',
    });
  });
});
