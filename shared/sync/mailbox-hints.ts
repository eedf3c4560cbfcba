import type { QueueMessage } from '../queue-message.js';

/** "Something changed in this mailbox": the message the webhook's notifications become. */
export type MailboxHint = Extract<QueueMessage, { kind: 'exchangeChanged' }>;

/** A delta round that started after the hint was taken already covered it. */
export function coveredBy(status: { lastDeltaStartedAt: string | null }, hint: MailboxHint): boolean {
  return status.lastDeltaStartedAt !== null && status.lastDeltaStartedAt > hint.at;
}

/**
 * A delta round covers every folder and every change reported before it starts, so of the
 * mailbox hints waiting together only the latest one is worth a round: the others are
 * dropped, and it takes the place of the first of them.
 */
export function coalesceMailboxHints(messages: QueueMessage[]): QueueMessage[] {
  const latest = new Map<string, MailboxHint>();
  for (const m of messages) {
    if (m.kind !== 'exchangeChanged') continue;
    const seen = latest.get(m.accountId);
    if (!seen || m.at > seen.at) latest.set(m.accountId, m);
  }
  const placed = new Set<string>();
  return messages.flatMap((m): QueueMessage[] => {
    if (m.kind !== 'exchangeChanged') return [m];
    if (placed.has(m.accountId)) return [];
    placed.add(m.accountId);
    return [latest.get(m.accountId) ?? m];
  });
}
