import { randomBytes } from 'node:crypto';
import type { GraphStore, Mailbox } from '../store.js';
import {
  addMessage,
  findFolder,
  type MailFolder,
  mailboxByAddress,
  mailOf,
  type StoredMessage,
  wellKnown,
} from './mail-store.js';

/**
 * Mail delivery between the emulator's mailboxes and from outside. `user: sendMail` "saves
 * the message in the Sent Items folder"; each recipient mailbox (to, cc and bcc, found by any
 * of its proxyAddresses) gets its own copy in its Inbox, with the same internetMessageId and
 * conversationId. A recipient's copy lists no bcc: only the sender knows them.
 */

export interface Recipient {
  emailAddress: { address: string; name?: string | null | undefined };
}

export interface StoredAttachment {
  name: string;
  contentType: string;
  size: number;
}

export interface OutgoingMessage {
  subject: string;
  body: { contentType: string; content: string };
  from: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo?: Recipient[];
  internetMessageId?: string | undefined;
  conversationId?: string | undefined;
  /** Custom (x-) headers from sendMail, or every header of mail from outside. */
  internetMessageHeaders: { name: string; value: string }[];
  categories: string[];
  importance: string;
  hasAttachments: boolean;
  /** Attachment metadata (name, type, size); the content is not kept. */
  attachments?: StoredAttachment[] | undefined;
  sentDateTime: string;
  receivedDateTime: string;
  odataType?: string | undefined;
  isRead?: boolean | undefined;
}

const stamp = (instant: string) => new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function textOf(body: { contentType: string; content: string }): string {
  return body.contentType.toLowerCase() === 'html' ? body.content.replace(/<[^>]+>/g, ' ') : body.content;
}

/** Graph's bodyPreview: the first 255 characters of the body as text. */
export function previewOf(body: { contentType: string; content: string }): string {
  return textOf(body).replace(/\s+/g, ' ').trim().slice(0, 255);
}

const person = (r: Recipient) => ({
  emailAddress: { name: r.emailAddress.name ?? r.emailAddress.address, address: r.emailAddress.address },
});

export function newInternetMessageId(from: string): string {
  const domain = from.split('@')[1] ?? 'emulator.test';
  return `<${randomBytes(12).toString('hex')}@${domain}>`;
}

export const newConversationId = () => `AAQkAD${randomBytes(24).toString('base64url')}=`;

/** The transport headers a received copy carries, with the message's own. */
function receivedHeaders(
  message: OutgoingMessage,
  internetMessageId: string,
): { name: string; value: string }[] {
  const list = (rs: Recipient[]) => rs.map((r) => r.emailAddress.address).join(', ');
  const own = new Set(message.internetMessageHeaders.map((h) => h.name.toLowerCase()));
  const standard = [
    { name: 'Message-ID', value: internetMessageId },
    { name: 'From', value: message.from.emailAddress.address },
    { name: 'To', value: list(message.toRecipients) },
    ...(message.ccRecipients.length ? [{ name: 'Cc', value: list(message.ccRecipients) }] : []),
    { name: 'Subject', value: message.subject },
    { name: 'Date', value: new Date(message.sentDateTime).toUTCString() },
    { name: 'MIME-Version', value: '1.0' },
    {
      name: 'Content-Type',
      value:
        message.body.contentType.toLowerCase() === 'html'
          ? 'text/html; charset="utf-8"'
          : 'text/plain; charset="utf-8"',
    },
  ].filter((h) => !own.has(h.name.toLowerCase()));
  return [...standard, ...message.internetMessageHeaders];
}

function props(
  message: OutgoingMessage,
  ids: { internetMessageId: string; conversationId: string },
  copy: 'sent' | 'received',
): Record<string, unknown> {
  return {
    ...(message.odataType ? { '@odata.type': message.odataType } : {}),
    subject: message.subject,
    body: message.body,
    bodyPreview: previewOf(message.body),
    uniqueBody: message.body,
    from: person(message.from),
    sender: person(message.from),
    toRecipients: message.toRecipients.map(person),
    ccRecipients: message.ccRecipients.map(person),
    bccRecipients: copy === 'sent' ? message.bccRecipients.map(person) : [],
    replyTo: (message.replyTo ?? []).map(person),
    internetMessageId: ids.internetMessageId,
    conversationId: ids.conversationId,
    conversationIndex: randomBytes(22).toString('base64'),
    sentDateTime: stamp(message.sentDateTime),
    receivedDateTime: stamp(message.receivedDateTime),
    hasAttachments: message.hasAttachments || (message.attachments?.length ?? 0) > 0,
    // Not a message property: read by `GET …/messages/{id}/attachments` (attachment-routes.ts).
    attachments: message.attachments ?? [],
    categories: message.categories,
    importance: message.importance,
    isRead: copy === 'sent' ? true : (message.isRead ?? false),
    isDraft: false,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    inferenceClassification: 'focused',
    flag: { flagStatus: 'notFlagged' },
    webLink: `https://outlook.office365.com/owa/?ItemID=${randomBytes(8).toString('hex')}&exvsurl=1&viewmodel=ReadMessageItem`,
    internetMessageHeaders: copy === 'received' ? receivedHeaders(message, ids.internetMessageId) : null,
  };
}

export interface Delivered {
  mailbox: Mailbox;
  message: StoredMessage;
}

/** sendMail: the Sent Items copy (unless `saveToSentItems` is false) and one Inbox copy per recipient mailbox. */
export function send(
  store: GraphStore,
  sender: Mailbox,
  message: OutgoingMessage,
  saveToSentItems: boolean,
  now: Date,
): Delivered[] {
  const ids = {
    internetMessageId: message.internetMessageId ?? newInternetMessageId(message.from.emailAddress.address),
    conversationId: message.conversationId ?? newConversationId(),
  };
  const delivered: Delivered[] = [];
  if (saveToSentItems) {
    const state = mailOf(sender);
    delivered.push({
      mailbox: sender,
      message: addMessage(state, wellKnown(state, 'sentitems').id, props(message, ids, 'sent'), now),
    });
  }
  const recipients = new Set<Mailbox>();
  for (const r of [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients]) {
    const mailbox = mailboxByAddress(store, r.emailAddress.address);
    if (mailbox) recipients.add(mailbox);
  }
  for (const mailbox of recipients) {
    const state = mailOf(mailbox);
    delivered.push({
      mailbox,
      message: addMessage(state, wellKnown(state, 'inbox').id, props(message, ids, 'received'), now),
    });
  }
  return delivered;
}

/** Mail from outside, into one mailbox's folder (Inbox by default). */
export function receive(
  mailbox: Mailbox,
  message: OutgoingMessage,
  folder: MailFolder | string,
  now: Date,
): StoredMessage {
  const state = mailOf(mailbox);
  const target = typeof folder === 'string' ? findFolder(state, folder) : folder;
  if (!target) throw new Error(`no mail folder '${String(folder)}'`);
  const ids = {
    internetMessageId: message.internetMessageId ?? newInternetMessageId(message.from.emailAddress.address),
    conversationId: message.conversationId ?? newConversationId(),
  };
  return addMessage(state, target.id, props(message, ids, 'received'), now);
}
