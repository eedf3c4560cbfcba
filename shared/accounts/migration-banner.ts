import type { Banner, MigrationState } from './account.js';
import { lastAllowedDay, type MigrationInstants, shutdownDay } from './migration-instants.js';

/**
 * The banner an account shows for its migration state. The German text follows the help page
 * (seeds/001): "Wenn Sie Ihr E-Mail-Konto nicht bis zum 18.07.2025 migrieren, wird die
 * Synchronisierung ab dem 01.08.2025 nicht mehr funktionieren." The button is the help page's
 * "Zu V3 migrieren".
 */

export const MIGRATE_LABEL = 'Zu V3 migrieren';

export interface BannerSubject {
  accountId: string;
  email: string;
  instants: MigrationInstants;
}

export function migrateHref(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/migrate`;
}

export function bannerFor(state: MigrationState, subject: BannerSubject): Banner | null {
  const deadline = lastAllowedDay(subject.instants);
  const shutdown = shutdownDay(subject.instants);
  const email = subject.email;
  const action = { label: MIGRATE_LABEL, href: migrateHref(subject.accountId) };
  switch (state) {
    case 'ok':
      return null;
    case 'migrationRequired':
      return {
        severity: 'warning',
        text: {
          de:
            `Bitte migrieren Sie Ihr E-Mail-Konto ${email} bis zum ${deadline} zu V3. ` +
            `Die ältere V2-Technologie wird am ${shutdown} abgeschaltet: ohne Migration funktioniert ` +
            `die Synchronisierung ab dem ${shutdown} nicht mehr.`,
          en:
            `Please migrate your e-mail account ${email} to V3 by ${deadline}. ` +
            `The old V2 technology shuts down on ${shutdown}: without migration, ` +
            `synchronisation stops working from ${shutdown}.`,
        },
        action,
      };
    case 'migrationOverdue':
      return {
        severity: 'critical',
        text: {
          de:
            `Die Frist zur Migration Ihres E-Mail-Kontos ${email} zu V3 ist am ${deadline} abgelaufen. ` +
            `Ab dem ${shutdown} wird die Synchronisierung nicht mehr funktionieren. ` +
            `Bitte migrieren Sie jetzt zu V3.`,
          en:
            `The deadline to migrate your e-mail account ${email} to V3 passed on ${deadline}. ` +
            `From ${shutdown} synchronisation will stop working. Please migrate to V3 now.`,
        },
        action,
      };
    case 'syncStopped':
      return {
        severity: 'critical',
        text: {
          de:
            `Ihr E-Mail-Konto ${email} wurde nicht bis zum ${deadline} zu V3 migriert. Die V2-Technologie ` +
            `wurde am ${shutdown} abgeschaltet: Das Konto wird nicht mehr synchronisiert. Bitte migrieren ` +
            `Sie es zu V3, um die Synchronisierung wieder zu aktivieren.`,
          en:
            `Your e-mail account ${email} was not migrated to V3 by ${deadline}. The V2 technology was ` +
            `shut down on ${shutdown}: the account is no longer synchronised. Please migrate it to V3 ` +
            `to turn synchronisation back on.`,
        },
        action,
      };
  }
}

/** Two banners are the same when everything a user sees is the same. */
export function sameBanner(a: Banner | null, b: Banner | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.severity === b.severity &&
    a.text.de === b.text.de &&
    a.text.en === b.text.en &&
    a.action.label === b.action.label &&
    a.action.href === b.action.href
  );
}
