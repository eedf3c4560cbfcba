import type { RemovalStep } from '../../shared/accounts/account.js';
import type { Locale } from './locale.js';

/** The words of "Konto entfernen" (issue 18 item 5), German first, beside messages.ts. */
const de = {
  link: 'Konto entfernen',
  title: (email: string) => `Konto entfernen: ${email}`,
  whatHappens: 'Was beim Entfernen passiert',
  stops:
    'Die Synchronisierung dieses Postfachs mit dem CRM stoppt: Kontakte und E-Mails werden nicht mehr abgeglichen.',
  keeps:
    'Ihre Kontakte und E-Mails bleiben in Outlook und im CRM erhalten. Es wird nichts gelöscht, weder in Outlook noch im CRM.',
  forgets:
    'Gelöscht werden nur die Daten der Synchronisierung: die Verknüpfungen der Kontakte, der Stand des E-Mail-Abgleichs, das Protokoll dieses Kontos und bei Exchange On-Premises das gespeicherte Passwort.',
  again: 'Sie können das Postfach später wieder hinzufügen; die Kontakte werden dann neu abgeglichen.',
  confirm: 'Konto endgültig entfernen',
  cancel: 'Abbrechen',
  requested: (email: string) => `Das Konto ${email} wird entfernt. Die Synchronisierung ist gestoppt.`,
  removingTitle: (email: string) => `Konto wird entfernt: ${email}`,
  removing: 'Wird entfernt',
  progress: (n: number, of: number, step: string) => `Schritt ${n} von ${of}: ${step}`,
  progressIntro:
    'Die Synchronisierung ist gestoppt. Das Entfernen läuft im Hintergrund und setzt nach einer Unterbrechung von selbst fort.',
  refresh: 'Stand aktualisieren',
  back: 'Zurück zur Übersicht',
  steps: {
    subscriptions: 'Benachrichtigungen von Microsoft 365 abbestellen',
    links: 'Verknüpfungen der Kontakte löschen',
    mail: 'Stand des E-Mail-Abgleichs löschen',
    log: 'Protokoll löschen',
    secret: 'Gespeichertes Passwort löschen',
    row: 'Konto löschen',
  } satisfies Record<RemovalStep, string>,
};

export type RemoveAccountMessages = typeof de;

const en: RemoveAccountMessages = {
  link: 'Remove account',
  title: (email) => `Remove account: ${email}`,
  whatHappens: 'What removing does',
  stops: 'The sync of this mailbox with the CRM stops: contacts and e-mails are no longer matched.',
  keeps:
    'Your contacts and e-mails stay in Outlook and in the CRM. Nothing is deleted, neither in Outlook nor in the CRM.',
  forgets:
    "Only the sync's own data is deleted: the contacts' links, the state of the e-mail sync, this account's log and, for on-premises Exchange, the stored password.",
  again: 'You can add the mailbox again later; its contacts are then matched anew.',
  confirm: 'Remove the account for good',
  cancel: 'Cancel',
  requested: (email) => `The account ${email} is being removed. Its sync has stopped.`,
  removingTitle: (email) => `Account being removed: ${email}`,
  removing: 'Being removed',
  progress: (n, of, step) => `Step ${n} of ${of}: ${step}`,
  progressIntro:
    'The sync has stopped. The removal runs in the background and resumes by itself after an interruption.',
  refresh: 'Refresh',
  back: 'Back to the overview',
  steps: {
    subscriptions: 'Unsubscribing from Microsoft 365 notifications',
    links: "Deleting the contacts' links",
    mail: 'Deleting the state of the e-mail sync',
    log: 'Deleting the log',
    secret: 'Deleting the stored password',
    row: 'Deleting the account',
  },
};

export function removeAccountMessages(locale: Locale): RemoveAccountMessages {
  return locale === 'en' ? en : de;
}
