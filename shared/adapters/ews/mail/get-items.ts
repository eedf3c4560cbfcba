import type { EwsTransport } from '../ews-transport.js';
import { callEws, orThrow } from '../soap-client.js';
import { child, esc, type XmlElement } from '../xml.js';

/**
 * GetItem in batches (getitem-operation-email-message.md): one response message per id, in
 * request order, each with its own ResponseClass. An item gone meanwhile (ErrorItemNotFound)
 * is absent from the answer; any other per-item error fails the call with its SyncError.
 * Batches go out together; the transport keeps at most two in flight per mailbox.
 */
export const READ_BATCH = 50;
const GONE = new Set(['ErrorItemNotFound']);

export async function getItems(
  transport: EwsTransport,
  ids: readonly string[],
  shapeXml: string,
  batch = READ_BATCH,
): Promise<Map<string, XmlElement>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += batch) chunks.push(ids.slice(i, i + batch));
  const found = new Map<string, XmlElement>();
  await Promise.all(
    chunks.map(async (chunk) => {
      const messages = await callEws(
        transport,
        'GetItem',
        `<m:GetItem>${shapeXml}<m:ItemIds>${chunk.map((id) => `<t:ItemId Id="${esc(id)}"/>`).join('')}</m:ItemIds></m:GetItem>`,
      );
      chunk.forEach((id, i) => {
        const message = messages[i];
        if (message && !message.ok && GONE.has(message.code)) return;
        const item = child(orThrow('GetItem', message), 'Items')?.children[0];
        if (item) found.set(id, item);
      });
    }),
  );
  return found;
}
