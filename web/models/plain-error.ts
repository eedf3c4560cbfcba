import type { Messages } from '../i18n/messages.js';

/**
 * An account's last error in plain words. The stored text is technical (it comes from the
 * adapters, already free of secrets); the page shows what it means and keeps the text as detail.
 */
export type ErrorClass = keyof Messages['errors'];

export function classifyError(text: string): ErrorClass {
  if (
    /MailboxNotEnabledForRESTAPI|mailboxUnavailable|mailbox (is )?(not|un)available|cannot be read/i.test(
      text,
    )
  )
    return 'mailboxUnavailable';
  if (/AADSTS65001|consent|ErrorAccessDenied|Authorization_RequestDenied/i.test(text)) return 'consent';
  if (/\b429\b|throttl|TooManyRequests/i.test(text)) return 'throttled';
  return 'other';
}

export function plainError(text: string | null, m: Messages): { plain: string; detail: string } | null {
  if (!text) return null;
  return { plain: m.errors[classifyError(text)], detail: text };
}
