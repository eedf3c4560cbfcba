import type { GraphMessage } from './message.js';

/**
 * The first-import window (issue 17, item 1): mail received within the last `days` days.
 * Applied locally on receivedDateTime, because delta's own `$filter=receivedDateTime ge …`
 * stops at 5,000 messages ("Get incremental changes to messages in a folder").
 */

const DAY_MS = 86_400_000;

export function windowStart(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** A message without receivedDateTime is kept: it cannot be shown to be older. */
export function inWindow(message: Pick<GraphMessage, 'receivedDateTime'>, now: Date, days: number): boolean {
  if (!message.receivedDateTime) return true;
  return Date.parse(message.receivedDateTime) >= windowStart(now, days).getTime();
}
