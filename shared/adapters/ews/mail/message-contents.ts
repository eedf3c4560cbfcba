import type { MailAttachment } from '../../../mail/classify.js';
import type { GraphMessage } from '../../../mail/message.js';
import type { MessageContent } from '../../../mail-sync/ports.js';
import type { EwsTransport } from '../ews-transport.js';
import { child, type XmlElement } from '../xml.js';
import { getItems } from './get-items.js';
import { CONTENT_SHAPE, METADATA_SHAPE } from './message-fields.js';
import { parseMessage } from './message-mapping.js';

/**
 * Bodies of linked mail, in a second step (issue 17 item 3): GetItem in batches with
 * BodyType Text (bodytype.md: Exchange converts an HTML body to text) and the Attachments
 * collection, which GetItem answers with each attachment's AttachmentId, Name, ContentType
 * and Size but no content (that takes GetAttachment, which is never called): one call per
 * batch covers bodies and attachment metadata alike. A message gone meanwhile is absent.
 */
function attachmentsOf(item: XmlElement): MailAttachment[] {
  return (child(item, 'Attachments')?.children ?? []).map((a) => {
    const size = Number.parseInt(child(a, 'Size')?.text ?? '', 10);
    return {
      name: child(a, 'Name')?.text ?? '',
      contentType: child(a, 'ContentType')?.text.trim() || 'application/octet-stream',
      size: Number.isFinite(size) && size >= 0 ? size : 0,
    };
  });
}

/** A text body as asked for; should an HTML one come anyway, its tags are dropped (as the Graph adapter does). */
function textOf(body: XmlElement): string {
  if (body.attrs['BodyType'] !== 'HTML') return body.text;
  return body.text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .trim();
}

export async function ewsMessageContents(
  transport: EwsTransport,
  ids: readonly string[],
  withAttachments: ReadonlySet<string>,
  readBatch?: number,
): Promise<Map<string, MessageContent>> {
  const items = await getItems(transport, ids, CONTENT_SHAPE, readBatch);
  const contents = new Map<string, MessageContent>();
  for (const [id, item] of items) {
    const body = child(item, 'Body');
    contents.set(id, {
      bodyText: body ? textOf(body) : null,
      attachments: withAttachments.has(id) ? attachmentsOf(item) : [],
    });
  }
  return contents;
}

/** Messages read again by id with the fields a SyncFolderItems page gives; gone and invalid ones are absent. */
export async function ewsMessagesById(
  transport: EwsTransport,
  ids: readonly string[],
  readBatch?: number,
): Promise<Map<string, GraphMessage>> {
  const items = await getItems(transport, ids, METADATA_SHAPE, readBatch);
  const found = new Map<string, GraphMessage>();
  for (const [id, item] of items) {
    const message = parseMessage(item);
    if (message) found.set(id, message);
  }
  return found;
}
