import type { Locale } from './locale.js';

/** The mail settings pages' words (issue 17 items 1 and 2), German first, beside messages.ts. */
const de = {
  link: 'E-Mail-Einstellungen',
  cardFact: 'E-Mail-Übernahme',
  days: (n: number) => `${n} Tage`,
  title: (email: string) => `E-Mail-Einstellungen: ${email}`,
  intro:
    'Welche E-Mails dieses Postfachs im CRM erscheinen. Nur E-Mails mit mindestens einem CRM-Kontakt werden übernommen.',
  foldersLegend: 'Ordner',
  foldersInboxAndSent: 'Posteingang und Gesendete Elemente',
  foldersAll: 'Alle E-Mail-Ordner',
  foldersHint:
    'Gelöschte Elemente, Junk-E-Mail, Entwürfe und Postausgang werden nie übernommen. Wird ein Ordner nicht mehr gelesen, bleiben seine E-Mails im CRM, ohne dieses Postfach.',
  windowLabel: 'Zeitraum der ersten Übernahme (Tage)',
  windowHint:
    'E-Mails, die in diesem Zeitraum empfangen wurden. Ein längerer Zeitraum holt die älteren E-Mails bei der nächsten Runde nach; ein kürzerer entfernt nichts aus dem CRM.',
  exclusionsLegend: 'Nicht übernehmen',
  excludeInternal: 'E-Mails, an denen nur interne Adressen beteiligt sind',
  excludeNoReply: 'E-Mails von No-Reply- und Funktionsadressen',
  excludeBulk: 'Massen-E-Mails (Newsletter, automatische Antworten)',
  excludeCalendar: 'Kalendereinladungen und -antworten',
  privateCategory: 'E-Mails mit dieser Outlook-Kategorie (leer: keine)',
  blocklistLabel: 'Gesperrte Adressen und @Domains (eine pro Zeile)',
  blocklistHint: 'Zum Beispiel max@example.com oder @example.com.',
  internalDomainsLabel: 'Weitere interne Domains (eine pro Zeile)',
  tenantBlocklist: 'Vom Administrator für das ganze Unternehmen gesperrt',
  tenantBlocklistNone: 'Keine.',
  visibilityLegend: 'Im CRM sichtbar',
  visibility: {
    full: 'Betreff und Text',
    subject: 'Nur der Betreff',
    metadata: 'Nur Absender, Empfänger und Datum',
  },
  save: 'Speichern',
  saved: 'Die E-Mail-Einstellungen wurden gespeichert. Sie gelten ab der nächsten Synchronisierungsrunde.',
  unchanged: 'Es wurde nichts geändert.',
  invalid: (fields: string) => `Bitte prüfen Sie: ${fields}. Es wurde nichts gespeichert.`,
  changedMeanwhile: 'Das Konto wurde gerade geändert. Bitte versuchen Sie es noch einmal.',
  tenantTitle: 'E-Mail-Einstellungen des Unternehmens',
  tenantIntro:
    'Diese Sperrliste gilt für alle E-Mail-Konten Ihres Unternehmens, zusätzlich zur Sperrliste jedes Kontos.',
  tenantLink: 'E-Mail-Sperrliste des Unternehmens',
};

export type MailSettingsMessages = typeof de;

const en: MailSettingsMessages = {
  link: 'E-mail settings',
  cardFact: 'E-mail import',
  days: (n) => `${n} days`,
  title: (email) => `E-mail settings: ${email}`,
  intro:
    'Which e-mails of this mailbox appear in the CRM. Only e-mails involving at least one CRM contact are taken.',
  foldersLegend: 'Folders',
  foldersInboxAndSent: 'Inbox and Sent Items',
  foldersAll: 'All mail folders',
  foldersHint:
    'Deleted Items, Junk Email, Drafts and Outbox are never taken. When a folder is no longer read, its e-mails stay in the CRM, without this mailbox.',
  windowLabel: 'First-import window (days)',
  windowHint:
    'E-mails received within this many days. A longer window brings in the older e-mails on the next round; a shorter one removes nothing from the CRM.',
  exclusionsLegend: 'Leave out',
  excludeInternal: 'E-mails among internal addresses only',
  excludeNoReply: 'E-mails from no-reply and role addresses',
  excludeBulk: 'Bulk e-mail (newsletters, automatic replies)',
  excludeCalendar: 'Calendar invitations and responses',
  privateCategory: 'E-mails with this Outlook category (empty: none)',
  blocklistLabel: 'Blocked addresses and @domains (one per line)',
  blocklistHint: 'For example max@example.com or @example.com.',
  internalDomainsLabel: 'Further internal domains (one per line)',
  tenantBlocklist: 'Blocked for the whole organisation by the administrator',
  tenantBlocklistNone: 'None.',
  visibilityLegend: 'Visible in the CRM',
  visibility: {
    full: 'Subject and text',
    subject: 'The subject only',
    metadata: 'Only sender, recipients and date',
  },
  save: 'Save',
  saved: 'The e-mail settings were saved. They apply from the next sync round.',
  unchanged: 'Nothing was changed.',
  invalid: (fields) => `Please check: ${fields}. Nothing was saved.`,
  changedMeanwhile: 'The account changed just now. Please try again.',
  tenantTitle: 'E-mail settings of the organisation',
  tenantIntro:
    "This blocklist applies to every e-mail account of your organisation, on top of each account's own.",
  tenantLink: "The organisation's e-mail blocklist",
};

export function mailSettingsMessages(locale: Locale): MailSettingsMessages {
  return locale === 'en' ? en : de;
}
