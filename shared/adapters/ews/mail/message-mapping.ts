import {
  type DeltaEntry,
  type GraphMessage,
  graphMessageSchema,
  parseDeltaEntry,
} from '../../../mail/message.js';
import { child, children, type XmlElement } from '../xml.js';

/**
 * An EWS message (message-ex15websvcsotherref.md) as the mail rules read a message: the shape
 * of Graph's `message` (shared/mail/message.ts), validated by the same schema, so the pipeline
 * and its rules stay provider-neutral. Pure.
 *
 * - ItemId → id, ChangeKey → `@odata.etag`; ConversationId's Id → conversationId.
 * - From/Sender/To/Cc/BccRecipients (Mailbox: Name, EmailAddress, RoutingType) → recipients;
 *   an address that is not SMTP (RoutingType EX with an X.500 DN) is left out, as Graph leaves
 *   it out for X.500-only senders.
 * - InternetMessageHeaders (InternetMessageHeader HeaderName="…") → internetMessageHeaders.
 * - ItemClass `IPM.Schedule.Meeting.*` (itemclass.md; MeetingRequest, MeetingResponse and
 *   MeetingCancellation elements) → `@odata.type` eventMessageRequest / eventMessageResponse /
 *   eventMessage, which the rules exclude as calendar mail.
 * - EWS has no body preview before Exchange 2013 (item:Preview): bodyPreview stays null.
 */

function recipient(holder: XmlElement | undefined): GraphMessage['from'] {
  const mailbox = holder?.name === 'Mailbox' ? holder : child(holder, 'Mailbox');
  if (!mailbox) return null;
  const name = child(mailbox, 'Name')?.text;
  const address = child(mailbox, 'EmailAddress')?.text.trim();
  const routing = child(mailbox, 'RoutingType')?.text.trim().toUpperCase();
  const smtp = address?.includes('@') && (routing === undefined || routing === 'SMTP') ? address : null;
  return { emailAddress: { ...(name !== undefined ? { name } : {}), address: smtp } };
}

function recipients(list: XmlElement | undefined): NonNullable<GraphMessage['toRecipients']> | undefined {
  if (!list) return undefined;
  return children(list, 'Mailbox').flatMap((m) => {
    const r = recipient(m);
    return r ? [r] : [];
  });
}

export function odataTypeOf(itemClass: string | undefined): string {
  const c = (itemClass ?? '').toLowerCase();
  if (c.startsWith('ipm.schedule.meeting.request')) return '#microsoft.graph.eventMessageRequest';
  if (c.startsWith('ipm.schedule.meeting.resp')) return '#microsoft.graph.eventMessageResponse';
  if (c.startsWith('ipm.schedule.meeting.')) return '#microsoft.graph.eventMessage';
  return '#microsoft.graph.message';
}

const bool = (e: XmlElement | undefined) => (e ? e.text.trim() === 'true' : undefined);
const text = (e: XmlElement | undefined) => e?.text;

/** The Graph-shaped object of an EWS item element (Message, MeetingRequest, …); fields EWS did not send are absent. */
export function rawMessage(item: XmlElement): Record<string, unknown> {
  const ref = child(item, 'ItemId');
  const raw: Record<string, unknown> = {
    id: ref?.attrs['Id'] ?? '',
    '@odata.type': odataTypeOf(
      text(child(item, 'ItemClass')) ??
        (item.name === 'Message' ? 'IPM.Note' : `IPM.Schedule.Meeting.${item.name}`),
    ),
  };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) raw[key] = value;
  };
  set('@odata.etag', ref?.attrs['ChangeKey']);
  set('internetMessageId', text(child(item, 'InternetMessageId')));
  set('conversationId', child(item, 'ConversationId')?.attrs['Id']);
  set('from', child(item, 'From') ? recipient(child(item, 'From')) : undefined);
  set('sender', child(item, 'Sender') ? recipient(child(item, 'Sender')) : undefined);
  set('toRecipients', recipients(child(item, 'ToRecipients')));
  set('ccRecipients', recipients(child(item, 'CcRecipients')));
  set('bccRecipients', recipients(child(item, 'BccRecipients')));
  set('subject', text(child(item, 'Subject')));
  set('sentDateTime', text(child(item, 'DateTimeSent'))?.trim());
  set('receivedDateTime', text(child(item, 'DateTimeReceived'))?.trim());
  set('hasAttachments', bool(child(item, 'HasAttachments')));
  const categories = child(item, 'Categories');
  set('categories', categories ? children(categories, 'String').map((s) => s.text) : undefined);
  set('isDraft', bool(child(item, 'IsDraft')));
  const headers = child(item, 'InternetMessageHeaders');
  set(
    'internetMessageHeaders',
    headers
      ? children(headers, 'InternetMessageHeader').map((h) => ({
          name: h.attrs['HeaderName'] ?? '',
          value: h.text,
        }))
      : undefined,
  );
  set('parentFolderId', child(item, 'ParentFolderId')?.attrs['Id']);
  return raw;
}

/** A message of a SyncFolderItems page read by GetItem, as a delta entry (invalid ones are `invalid`, never synced). */
export function messageEntry(item: XmlElement): DeltaEntry {
  return parseDeltaEntry(rawMessage(item));
}

export function parseMessage(item: XmlElement): GraphMessage | null {
  const parsed = graphMessageSchema.safeParse(rawMessage(item));
  return parsed.success ? parsed.data : null;
}
