import { domainOf, localPartOf } from './addresses.js';
import { type GraphMessage, headerValue } from './message.js';
import type { Participant } from './participants.js';
import type { MailSettings } from './settings.js';

/**
 * Which mail stays out of the CRM even when it involves a contact (issue 17, item 2). Each
 * rule is a setting (settings.ts); drafts are always out. The first rule that applies is the
 * reason, so the account status and the action log can say why a mail is missing.
 */

export type ExclusionReason =
  | 'draft'
  | 'blocked'
  | 'privateCategory'
  | 'calendar'
  | 'bulk'
  | 'noReply'
  | 'internal';

export interface ExclusionContext {
  settings: MailSettings;
  /** The account's and the tenant's entries: addresses and `@domain`s, lower-cased. */
  blocklist: ReadonlySet<string>;
  /** The owner's own addresses (proxyAddresses), normalised. */
  ownAddresses: ReadonlySet<string>;
}

/**
 * Local parts of addresses no person answers: no-reply senders, mail systems and role
 * mailboxes that send automated mail. Matched on the whole local part, after dropping
 * `-`, `_` and `.` (`no-reply`, `no_reply`, `do.not.reply` alike).
 */
const NO_REPLY_LOCAL_PARTS = new Set([
  'noreply',
  'donotreply',
  'mailerdaemon',
  'postmaster',
  'bounce',
  'bounces',
  'notification',
  'notifications',
  'notify',
  'newsletter',
  'news',
  'marketing',
  'mailer',
  'automailer',
  'system',
]);

export function isNoReplyAddress(address: string): boolean {
  const local = localPartOf(address).replace(/[-_.]/g, '');
  return NO_REPLY_LOCAL_PARTS.has(local) || /^(noreply|donotreply|bounce)/.test(local);
}

/**
 * Bulk mail as RFC 2369 (List-Unsubscribe), RFC 2919 (List-Id), RFC 3834 (Auto-Submitted
 * other than "no") and the de-facto `Precedence: bulk | list | junk` mark it.
 */
export function isBulk(message: GraphMessage): boolean {
  if (headerValue(message, 'List-Unsubscribe') !== undefined) return true;
  if (headerValue(message, 'List-Id') !== undefined) return true;
  const precedence = headerValue(message, 'Precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk') return true;
  const autoSubmitted = headerValue(message, 'Auto-Submitted')?.trim().toLowerCase();
  return autoSubmitted !== undefined && autoSubmitted !== 'no';
}

/**
 * Meeting requests, responses and cancellations: Graph types them as `eventMessage`
 * (eventMessageRequest / eventMessageResponse, learn.microsoft.com/graph/api/resources/eventmessage);
 * over the wire they carry `Content-Class: urn:content-classes:calendarmessage`.
 */
export function isCalendarMessage(message: GraphMessage): boolean {
  if (message['@odata.type']?.toLowerCase().startsWith('#microsoft.graph.eventmessage')) return true;
  const contentClass = headerValue(message, 'Content-Class')?.toLowerCase();
  return contentClass?.includes('calendarmessage') ?? false;
}

function ownDomains(context: ExclusionContext): Set<string> {
  const domains = new Set(context.settings.internalDomains);
  for (const address of context.ownAddresses) domains.add(domainOf(address));
  return domains;
}

function isBlocked(address: string, blocklist: ReadonlySet<string>): boolean {
  return blocklist.has(address) || blocklist.has(`@${domainOf(address)}`);
}

/** Why this message stays out, or null when it may go to the CRM. */
export function exclusionReason(
  message: GraphMessage,
  participants: readonly Participant[],
  context: ExclusionContext,
): ExclusionReason | null {
  const { settings } = context;
  if (message.isDraft === true) return 'draft';
  if (participants.some((p) => isBlocked(p.address, context.blocklist))) return 'blocked';
  const category = settings.privateCategory?.toLowerCase();
  if (category && (message.categories ?? []).some((c) => c.trim().toLowerCase() === category)) {
    return 'privateCategory';
  }
  if (settings.excludeCalendar && isCalendarMessage(message)) return 'calendar';
  if (settings.excludeBulk && isBulk(message)) return 'bulk';
  const from = participants.find((p) => p.role === 'from');
  if (
    settings.excludeNoReply &&
    from &&
    !context.ownAddresses.has(from.address) &&
    isNoReplyAddress(from.address)
  ) {
    return 'noReply';
  }
  if (settings.excludeInternal && participants.length > 0) {
    const domains = ownDomains(context);
    if (participants.every((p) => domains.has(domainOf(p.address)))) return 'internal';
  }
  return null;
}
