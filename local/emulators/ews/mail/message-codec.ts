import { child, children, el, esc, type XmlElement } from '../../../../shared/adapters/ews/xml.js';
import { SchemaError } from '../soap-response.js';
import type { Folder } from '../store.js';
import type { MailAddress, MailItem } from './mail-store.js';

/**
 * A message as EWS writes it (message-ex15websvcsotherref.md). Elements come in the order of
 * types.xsd (ItemType's, then MessageType's): the reference page's list puts EffectiveRights,
 * LastModifiedTime and ConversationId after MessageType's ReplyTo, which is not the schema's
 * order (ConversationId is an ItemType element, before Sender); the schema wins here.
 *
 * Shapes (itemshape.md, baseshape.md): IdOnly is the ItemId; Default is what the GetItem
 * (email message) page's answer shows (Subject, Sensitivity, Body, Size, DateTimeSent,
 * DateTimeCreated, HasAttachments, the recipients, From, IsRead); AllProperties is every
 * property below; AdditionalProperties adds FieldURIs. BodyType picks Text, HTML or Best.
 */
export interface MessageShape {
  base: 'IdOnly' | 'Default' | 'AllProperties';
  bodyType: 'Text' | 'HTML' | 'Best';
  mime: boolean;
  fields: Set<string>;
}

const DEFAULT = [
  'item:Subject',
  'item:Sensitivity',
  'item:Body',
  'item:Size',
  'item:DateTimeSent',
  'item:DateTimeCreated',
  'item:HasAttachments',
  'message:ToRecipients',
  'message:CcRecipients',
  'message:From',
  'message:IsRead',
];
const ALL = [
  ...DEFAULT,
  'item:ParentFolderId',
  'item:ItemClass',
  'item:Attachments',
  'item:DateTimeReceived',
  'item:Categories',
  'item:IsDraft',
  'item:InternetMessageHeaders',
  'item:ConversationId',
  'message:Sender',
  'message:BccRecipients',
  'message:InternetMessageId',
];

export function readMessageShape(shape: XmlElement | undefined): MessageShape {
  const base = child(shape, 'BaseShape')?.text.trim();
  if (base !== 'IdOnly' && base !== 'Default' && base !== 'AllProperties')
    throw new SchemaError(`The element 'ItemShape' has invalid content: BaseShape '${base ?? ''}'.`);
  const bodyType = child(shape, 'BodyType')?.text.trim() ?? 'Best';
  if (bodyType !== 'Text' && bodyType !== 'HTML' && bodyType !== 'Best')
    throw new SchemaError(
      `The 'BodyType' element is invalid - The value '${bodyType}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:BodyTypeResponseType' - The Enumeration constraint failed.`,
    );
  const fields = new Set<string>(base === 'IdOnly' ? [] : base === 'Default' ? DEFAULT : ALL);
  for (const f of children(child(shape, 'AdditionalProperties'), 'FieldURI'))
    fields.add(f.attrs['FieldURI'] ?? '');
  return { base, bodyType, mime: child(shape, 'IncludeMimeContent')?.text.trim() === 'true', fields };
}

/** The element an item class is written as (meetingrequest.md, meetingresponse.md, meetingcancellation.md). */
export function elementFor(itemClass: string): string {
  const c = itemClass.toLowerCase();
  if (c.startsWith('ipm.schedule.meeting.request')) return 'MeetingRequest';
  if (c.startsWith('ipm.schedule.meeting.resp')) return 'MeetingResponse';
  if (c.startsWith('ipm.schedule.meeting.canceled')) return 'MeetingCancellation';
  return 'Message';
}

const mailboxXml = (a: MailAddress, type = 'OneOff') =>
  `<t:Mailbox>${a.name ? el('t:Name', a.name) : ''}${el('t:EmailAddress', a.address)}<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${type}</t:MailboxType></t:Mailbox>`;

/** Exchange converts an HTML body to text on request (BodyType Text): tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

function bodyXml(item: MailItem, type: MessageShape['bodyType']): string {
  const { body } = item.data;
  const wanted = type === 'Best' ? body.type : type;
  let content = body.content;
  if (wanted === 'Text' && body.type === 'HTML') content = htmlToText(content);
  if (wanted === 'HTML' && body.type === 'Text')
    content = `<html><body><div>${esc(content).replace(/\n/g, '<br>')}</div></body></html>`;
  return `<t:Body BodyType="${wanted}" IsTruncated="false">${esc(content)}</t:Body>`;
}

function mime(item: MailItem): string {
  const d = item.data;
  const list = (as: MailAddress[]) =>
    as.map((a) => (a.name ? `"${a.name}" <${a.address}>` : a.address)).join(', ');
  const lines = [
    ...(d.from ? [`From: ${list([d.from])}`] : []),
    ...(d.to.length ? [`To: ${list(d.to)}`] : []),
    ...(d.cc.length ? [`Cc: ${list(d.cc)}`] : []),
    `Subject: ${d.subject}`,
    `Date: ${new Date(d.sent).toUTCString()}`,
    `Message-ID: ${d.internetMessageId}`,
    ...d.headers.map((h) => `${h.name}: ${h.value}`),
    'MIME-Version: 1.0',
    `Content-Type: text/${d.body.type === 'HTML' ? 'html' : 'plain'}; charset="utf-8"`,
    '',
    d.body.content,
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');
}

export function messageXml(item: MailItem, folder: Folder | undefined, shape: MessageShape): string {
  const d = item.data;
  const has = (f: string) => shape.fields.has(f);
  const tag = `t:${elementFor(d.itemClass)}`;
  const recipients = (name: string, list: MailAddress[]) =>
    list.length > 0 ? `<t:${name}>${list.map((a) => mailboxXml(a)).join('')}</t:${name}>` : '';
  const size = Buffer.byteLength(d.body.content) + d.attachments.reduce((n, a) => n + a.size, 0) + 512;
  const parts = [
    shape.mime ? `<t:MimeContent CharacterSet="UTF-8">${mime(item)}</t:MimeContent>` : '',
    `<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/>`,
    has('item:ParentFolderId') && folder
      ? `<t:ParentFolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>`
      : '',
    has('item:ItemClass') ? el('t:ItemClass', d.itemClass) : '',
    has('item:Subject') ? el('t:Subject', d.subject) : '',
    has('item:Sensitivity') ? '<t:Sensitivity>Normal</t:Sensitivity>' : '',
    has('item:Body') ? bodyXml(item, shape.bodyType) : '',
    has('item:Attachments') && d.attachments.length > 0
      ? `<t:Attachments>${d.attachments
          .map(
            (a, i) =>
              `<t:FileAttachment><t:AttachmentId Id="${esc(`${item.id}.${i}`)}"/>${el('t:Name', a.name)}${el('t:ContentType', a.contentType)}<t:Size>${a.size}</t:Size><t:IsInline>false</t:IsInline><t:IsContactPhoto>false</t:IsContactPhoto></t:FileAttachment>`,
          )
          .join('')}</t:Attachments>`
      : '',
    has('item:DateTimeReceived') ? el('t:DateTimeReceived', d.received) : '',
    has('item:Size') ? `<t:Size>${size}</t:Size>` : '',
    has('item:Categories') && d.categories.length > 0
      ? `<t:Categories>${d.categories.map((c) => el('t:String', c)).join('')}</t:Categories>`
      : '',
    has('item:IsDraft') ? `<t:IsDraft>${d.isDraft}</t:IsDraft>` : '',
    has('item:InternetMessageHeaders') && d.headers.length > 0
      ? `<t:InternetMessageHeaders>${d.headers
          .map((h) => el('t:InternetMessageHeader', h.value, { HeaderName: h.name }))
          .join('')}</t:InternetMessageHeaders>`
      : '',
    has('item:DateTimeSent') ? el('t:DateTimeSent', d.sent) : '',
    has('item:DateTimeCreated') ? el('t:DateTimeCreated', item.created) : '',
    has('item:HasAttachments') ? `<t:HasAttachments>${d.attachments.length > 0}</t:HasAttachments>` : '',
    has('item:ConversationId') ? `<t:ConversationId Id="${esc(d.conversationId)}"/>` : '',
    has('message:Sender') && d.from ? `<t:Sender>${mailboxXml(d.from)}</t:Sender>` : '',
    has('message:ToRecipients') ? recipients('ToRecipients', d.to) : '',
    has('message:CcRecipients') ? recipients('CcRecipients', d.cc) : '',
    has('message:BccRecipients') ? recipients('BccRecipients', d.bcc) : '',
    has('message:From') && d.from ? `<t:From>${mailboxXml(d.from)}</t:From>` : '',
    has('message:InternetMessageId') ? el('t:InternetMessageId', d.internetMessageId) : '',
    has('message:IsRead') ? `<t:IsRead>${d.isRead}</t:IsRead>` : '',
  ];
  return `<${tag}>${parts.join('')}</${tag}>`;
}
