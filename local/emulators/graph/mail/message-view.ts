import { badRequest } from '../errors.js';
import type { StoredMessage } from './mail-store.js';

/**
 * How Graph answers with a message (learn.microsoft.com/graph/api/resources/message): every
 * default property present, `@odata.etag` as `W/"<changeKey>"`, with `$select` only the
 * chosen properties plus `id` and the etag. `internetMessageHeaders` is "returned only on
 * applying a $select query option". `Prefer: outlook.body-content-type="text"` turns an HTML
 * body into text ("Get message", request headers).
 */

const DEFAULT_PROPERTIES = [
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
];

export const SELECTABLE_MESSAGE_PROPERTIES = new Set([
  'id',
  ...DEFAULT_PROPERTIES,
  'internetMessageHeaders',
  'uniqueBody',
]);

export function parseMessageSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!SELECTABLE_MESSAGE_PROPERTIES.has(name)) {
      throw badRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.message'.`,
      );
    }
  }
  return names;
}

export interface ViewOptions {
  select?: string[] | undefined;
  immutable: boolean;
  textBody: boolean;
}

export const wantsImmutableIds = (headers: Record<string, string>) =>
  /IdType\s*=\s*"?ImmutableId"?/i.test(headers['prefer'] ?? '');
export const wantsTextBody = (headers: Record<string, string>) =>
  /outlook\.body-content-type\s*=\s*"?text"?/i.test(headers['prefer'] ?? '');

/** `Preference-Applied` for the preferences a mail response honoured. */
export function preferenceApplied(
  headers: Record<string, string>,
  pageSize?: number,
): Record<string, string> {
  const applied = [
    ...(pageSize === undefined || !/odata\.maxpagesize/i.test(headers['prefer'] ?? '')
      ? []
      : [`odata.maxpagesize=${pageSize}`]),
    ...(wantsImmutableIds(headers) ? ['IdType="ImmutableId"'] : []),
    ...(wantsTextBody(headers) ? ['outlook.body-content-type="text"'] : []),
  ];
  return applied.length ? { 'Preference-Applied': applied.join(', ') } : {};
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

export function messageView(message: StoredMessage, options: ViewOptions): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...message.props,
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    changeKey: message.changeKey,
    parentFolderId: message.folderId,
  };
  const body = all['body'] as { contentType: string; content: string } | undefined;
  if (options.textBody && body?.contentType.toLowerCase() === 'html') {
    all['body'] = { contentType: 'text', content: htmlToText(body.content) };
  }
  const names = options.select ?? DEFAULT_PROPERTIES;
  const view: Record<string, unknown> = {
    '@odata.type': (message.props['@odata.type'] as string | undefined) ?? '#microsoft.graph.message',
    '@odata.etag': `W/"${message.changeKey}"`,
    id: options.immutable ? message.immutableId : message.id,
  };
  for (const name of names) if (name !== 'id') view[name] = all[name] ?? null;
  return view;
}
