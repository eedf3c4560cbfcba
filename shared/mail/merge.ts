import type { MailCopy } from './classify.js';
import type { CrmMail, CrmMailParticipant } from './crm-mail.js';
import { dedupeParticipants, participantKey } from './participants.js';
import type { Visibility } from './settings.js';

/**
 * One CRM e-mail from every mailbox copy of a message (issue 17, item 4). Merging is
 * order-independent and idempotent, so copies may arrive in any order and more than once:
 * - participants are the union of the copies' (bcc comes only from the sender's copy: a
 *   recipient's copy never lists it, classify.ts drops any that slipped in);
 * - each mailbox is listed once, with the folder it holds the copy in;
 * - the direction is outgoing when any copy is the sender's;
 * - the visibility is the most open of the copies' (each owner allowed that much for theirs).
 * A delete or move in one mailbox only changes that mailbox's entry (`withoutMailbox`,
 * `movedInMailbox`): the CRM e-mail stays.
 */

const OPENNESS: Record<Visibility, number> = { metadata: 0, subject: 1, full: 2 };

const mostOpen = (a: Visibility, b: Visibility): Visibility => (OPENNESS[a] >= OPENNESS[b] ? a : b);

const earliest = (a: string | null, b: string | null): string | null => {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
};

function mergeParticipants(
  existing: readonly CrmMailParticipant[],
  incoming: readonly CrmMailParticipant[],
): CrmMailParticipant[] {
  const byKey = new Map(existing.map((p) => [participantKey(p), p]));
  for (const participant of incoming) {
    const seen = byKey.get(participantKey(participant));
    byKey.set(
      participantKey(participant),
      seen
        ? {
            ...seen,
            name: seen.name ?? participant.name,
            contactId: participant.contactId ?? seen.contactId,
          }
        : participant,
    );
  }
  return dedupeParticipants([...byKey.values()]);
}

/** The content fields the visibility allows; the rest is null (or empty). */
export function applyVisibility(mail: CrmMail): CrmMail {
  if (mail.visibility === 'full') return mail;
  return {
    ...mail,
    subject: mail.visibility === 'subject' ? mail.subject : null,
    bodyPreview: null,
    bodyText: null,
    attachments: [],
  };
}

/** Adds one mailbox's copy to the CRM e-mail (`existing` null: the first copy seen). */
export function mergeCopy(key: string, existing: CrmMail | null, copy: MailCopy): CrmMail {
  const { message } = copy;
  const participants = copy.participants.map((p) => ({
    role: p.role,
    address: p.address,
    name: p.name,
    contactId: p.contactId,
  }));
  const mailboxes = [
    ...(existing?.mailboxes ?? []).filter((m) => m.accountId !== copy.accountId),
    { accountId: copy.accountId, folder: copy.folder },
  ].sort((a, b) => a.accountId.localeCompare(b.accountId));
  const visibility = existing ? mostOpen(existing.visibility, copy.visibility) : copy.visibility;
  // Content comes from the copy (every copy carries the same message), except what it lacks.
  const merged: CrmMail = {
    key,
    internetMessageId: message.internetMessageId,
    conversationId: existing?.conversationId ?? message.conversationId ?? null,
    direction: existing?.direction === 'outgoing' || copy.direction === 'outgoing' ? 'outgoing' : 'incoming',
    subject: message.subject ?? existing?.subject ?? null,
    sentAt: earliest(existing?.sentAt ?? null, message.sentDateTime ?? null),
    receivedAt: earliest(existing?.receivedAt ?? null, message.receivedDateTime ?? null),
    bodyPreview: message.bodyPreview ?? existing?.bodyPreview ?? null,
    bodyText: copy.bodyText !== undefined ? copy.bodyText : (existing?.bodyText ?? null),
    hasAttachments: (existing?.hasAttachments ?? false) || message.hasAttachments === true,
    attachments: copy.attachments?.length ? copy.attachments : (existing?.attachments ?? []),
    participants: mergeParticipants(existing?.participants ?? [], participants),
    contactIds: [...new Set([...(existing?.contactIds ?? []), ...copy.contactIds])].sort(),
    mailboxes,
    visibility,
  };
  return applyVisibility(merged);
}

/** The copies of one message, merged in the order given (any order gives the same result). */
export function mergeCopies(key: string, copies: readonly MailCopy[]): CrmMail | null {
  return copies.reduce<CrmMail | null>((mail, copy) => mergeCopy(key, mail, copy), null);
}

/** The mailbox deleted its copy (or moved it out of the synced folders): only its entry goes. */
export function withoutMailbox(mail: CrmMail, accountId: string): CrmMail {
  return { ...mail, mailboxes: mail.mailboxes.filter((m) => m.accountId !== accountId) };
}

/** The mailbox moved its copy to another synced folder: only its entry changes. */
export function movedInMailbox(mail: CrmMail, accountId: string, folder: string): CrmMail {
  return {
    ...mail,
    mailboxes: mail.mailboxes.map((m) => (m.accountId === accountId ? { ...m, folder } : m)),
  };
}
