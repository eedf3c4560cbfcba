/**
 * How long to wait before retrying a throttled or unavailable Graph call: pure, so it is
 * tested without time. Graph says how long in `Retry-After` (seconds, or an HTTP date);
 * without it we back off exponentially with "full jitter" (AWS architecture blog,
 * "Exponential Backoff And Jitter") so parallel callers do not retry in lock-step.
 */

export interface Backoff {
  /** First step; doubles per attempt. */
  baseMs: number;
  /** Cap of one step. */
  maxMs: number;
}

/** Statuses Graph documents as "not processed, try again later". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/** `Retry-After` in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Full jitter: uniform in [step/2, step] so a retry never comes right back. `attempt` starts at 1. */
export function backoffDelayMs(attempt: number, backoff: Backoff, random: () => number): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The server's word is the floor; our own backoff fills in when it says nothing (503/504 often
 * carry no Retry-After, and Outlook's 429s sometimes do not either). From the second retry on,
 * the backoff also grows past a Retry-After that stays the same: Exchange has been seen to say
 * `1` on every 429 of a storm, and waiting 1 s each time would spend the attempts in seconds.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  backoff: Backoff,
  random: () => number,
): number {
  if (retryAfterMs === undefined) return backoffDelayMs(attempt, backoff, random);
  return attempt <= 1 ? retryAfterMs : Math.max(retryAfterMs, backoffDelayMs(attempt - 1, backoff, random));
}
