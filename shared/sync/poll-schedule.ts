/**
 * When the polling timer polls an on-premises account (issue 18 item 2): every `intervalMs`
 * (EWS_POLL_INTERVAL_SECONDS, default 2 minutes), at an offset within the interval taken from
 * a hash of the account id, so accounts are spread over it instead of all hitting their
 * servers (and the queue) at the same tick, and each account keeps its own rhythm. Pure: the
 * account id and the clock decide; the timer runs often (EWS_POLL_SCHEDULE, every 30 s) and
 * polls the accounts whose slot fell since its last run.
 */

export const DEFAULT_POLL_INTERVAL_MS = 120_000;

/** The account's offset within the interval, in [0, intervalMs): FNV-1a of its id. */
export function pollOffsetMs(accountId: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(intervalMs));
}

export interface PollDue {
  /** The slot's number, for the message's dedupe id (two timer runs over one instant poll once). */
  slot: number;
  /** The run the server's back-off moved: it polls both sides (a CRM push it refused too). */
  afterBackOff: boolean;
}

/**
 * Whether the account's poll slot fell in `(from, to]`. With `backOffUntil` (the server asked
 * us to wait: ErrorServerBusy's BackOffMilliseconds) nothing is due before that instant, and
 * the first run after it polls at once: the account's run is rescheduled to the end of the
 * back-off, not to its next regular slot.
 */
export function pollDue(
  accountId: string,
  from: Date,
  to: Date,
  intervalMs: number,
  backOffUntil?: string | null,
): PollDue | null {
  const start = from.getTime();
  const end = to.getTime();
  const interval = Math.max(1, Math.floor(intervalMs));
  const offset = pollOffsetMs(accountId, interval);
  const slot = Math.floor((end - offset) / interval);
  const until = backOffUntil ? Date.parse(backOffUntil) : Number.NaN;
  if (!Number.isNaN(until)) {
    if (end < until) return null;
    if (until > start) return { slot, afterBackOff: true };
  }
  // The latest slot instant at or before `to`; due when it is after `from`.
  return slot * interval + offset > start ? { slot, afterBackOff: false } : null;
}
