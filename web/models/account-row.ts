import type { AccountRemoval, Banner, MigrationState, Provider } from '../../shared/accounts/account.js';
import type { Visibility } from '../../shared/mail/settings.js';
import { formatInstant, type Locale } from '../i18n/locale.js';
import { mailSettingsMessages } from '../i18n/mail-settings-messages.js';
import type { Messages } from '../i18n/messages.js';
import { removeAccountMessages } from '../i18n/remove-account-messages.js';
import { progressText } from '../views/remove-account.js';
import { plainError } from './plain-error.js';

/** What shared/service/account-view.ts answers, as far as the pages read it. */
export interface AccountViewLike {
  id: string;
  email: string;
  userId: string;
  tenantId: string | null;
  provider: Provider;
  syncVersion: 'v2' | 'v3';
  migration: { state: MigrationState; banner: Banner | null };
  sync: {
    lastSyncAt: string | null;
    lastError: string | null;
    linked: number | null;
    heldDeletes: number;
    warnings: number;
  };
  /** The effective mail settings (shared/service/mail-settings.ts), as far as the card shows them. */
  mailSettings?: { folders: 'inboxAndSent' | 'all'; windowDays: number; visibility: Visibility };
  /** Set while the account is being removed (DELETE /api/accounts/{id}). */
  removal?: AccountRemoval | null;
}

export interface BannerModel {
  accountId: string;
  email: string;
  /** orange (warning) or red (critical), as the migration policy says. */
  tone: 'orange' | 'red';
  /** "Synchronisierung gestoppt" from the shutdown; null before. */
  heading: string | null;
  text: string;
  /** alert for red banners (they need attention now), status for the orange one. */
  role: 'alert' | 'status';
}

export interface AccountRow {
  id: string;
  email: string;
  provider: string;
  version: 'V2' | 'V3';
  state: MigrationState;
  stateLabel: string;
  lastSync: string;
  linked: string;
  keptBack: number;
  error: { plain: string; detail: string } | null;
  canMigrate: boolean;
  heldDeletes: number;
  banner: BannerModel | null;
  /** What the mail sync takes, in a line ("Posteingang und Gesendete Elemente · 90 Tage · …"). */
  mailSummary: string | null;
  /** While the account is being removed: "Wird entfernt", and the step it is at; else null. */
  removing: { label: string; progress: string } | null;
}

/** The banner exactly as the policy computed it (shared/accounts/migration-banner.ts), in the page's language. */
export function bannerModel(view: AccountViewLike, locale: Locale, m: Messages): BannerModel | null {
  const banner = view.migration.banner;
  if (!banner) return null;
  const stopped = view.migration.state === 'syncStopped';
  return {
    accountId: view.id,
    email: view.email,
    tone: banner.severity === 'warning' ? 'orange' : 'red',
    heading: stopped ? m.stoppedHeading : null,
    text: banner.text[locale],
    role: banner.severity === 'warning' ? 'status' : 'alert',
  };
}

export function accountRow(view: AccountViewLike, locale: Locale, m: Messages): AccountRow {
  return {
    id: view.id,
    email: view.email,
    provider: m.provider[view.provider],
    version: view.syncVersion === 'v2' ? 'V2' : 'V3',
    state: view.migration.state,
    stateLabel: m.state[view.migration.state],
    lastSync: formatInstant(view.sync.lastSyncAt, locale) ?? m.never,
    linked: view.sync.linked === null ? '–' : String(view.sync.linked),
    keptBack: view.sync.warnings,
    error: plainError(view.sync.lastError, m),
    canMigrate: view.syncVersion === 'v2',
    heldDeletes: view.sync.heldDeletes,
    banner: bannerModel(view, locale, m),
    mailSummary: mailSummary(view, locale),
    removing: view.removal
      ? {
          label: removeAccountMessages(locale).removing,
          progress: progressText(removeAccountMessages(locale), view.removal),
        }
      : null,
  };
}

function mailSummary(view: AccountViewLike, locale: Locale): string | null {
  const settings = view.mailSettings;
  if (!settings) return null;
  const t = mailSettingsMessages(locale);
  const folders = settings.folders === 'all' ? t.foldersAll : t.foldersInboxAndSent;
  return `${folders} · ${t.days(settings.windowDays)} · ${t.visibility[settings.visibility]}`;
}
