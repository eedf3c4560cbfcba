import { SyncError } from '../../errors.js';
import type { QueueMessage } from '../../queue-message.js';
import { validateQueueMessage } from './validate-message.js';

/**
 * Storage-queue message bodies. The Functions host's queue trigger expects base64 by default
 * (messageEncoding "base64"), and the SDK sends text as-is (toolchain.md section 2), so we
 * base64-encode the JSON ourselves. Reading also accepts plain JSON, as the host does.
 */
export function encodeQueueMessage(message: QueueMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bodyText(messageText: string): string | null {
  const trimmed = messageText.trim();
  if (trimmed.startsWith('{')) return trimmed;
  if (!BASE64.test(trimmed)) return null;
  return Buffer.from(trimmed, 'base64').toString('utf8');
}

/** Throws an `invalid` SyncError with the reason when the text is not a valid QueueMessage. */
export function decodeQueueMessage(messageText: string): QueueMessage {
  const text = bodyText(messageText);
  let parsed: unknown;
  try {
    if (text === null) throw new Error('not base64');
    parsed = JSON.parse(text);
  } catch {
    throw new SyncError('invalid', 'InvalidQueueMessage', 'Queue message is not base64-encoded JSON');
  }
  return validateQueueMessage(parsed);
}

/** What lands in `<queue>-poison`: the original message plus why it was given up on. */
export interface PoisonRecord {
  reason: string;
  queue: string;
  originalMessageId: string;
  dequeueCount: number;
  movedAt: string;
  /** The original body, decoded from base64 when it was base64. */
  body: string;
  /** The original message text exactly as it was received. */
  messageText: string;
}

export function poisonRecord(
  item: { messageId: string; dequeueCount: number; messageText: string },
  queue: string,
  reason: string,
  at: Date,
): PoisonRecord {
  return {
    reason,
    queue,
    originalMessageId: item.messageId,
    dequeueCount: item.dequeueCount,
    movedAt: at.toISOString(),
    body: bodyText(item.messageText) ?? item.messageText,
    messageText: item.messageText,
  };
}

export const encodePoisonRecord = (record: PoisonRecord): string =>
  Buffer.from(JSON.stringify(record), 'utf8').toString('base64');

/** Our own poison records, read back for tests, the local host and operators. */
export const decodePoisonRecord = (messageText: string): PoisonRecord =>
  JSON.parse(Buffer.from(messageText, 'base64').toString('utf8')) as PoisonRecord;
