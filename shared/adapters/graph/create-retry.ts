import { isSyncError, type SyncError } from '../../errors.js';
import type { MailboxScheduler } from './mailbox-scheduler.js';

/**
 * A create is never sent twice blindly. A timeout, a dropped connection or a 5xx may come
 * after Exchange stored the contact (a 504 is the gateway giving up on a backend that may
 * still finish), and the Graph SDK's own RetryHandler would resend such a POST: it retries
 * 429/503/504 for every method whose body is not a stream (msgraph-sdk-javascript
 * src/middleware/RetryHandler.ts, `isBuffered`), which is one reason graph-client.ts leaves it
 * out. Here, after such a failure, the mailbox waits as after any 5xx, then the contact is
 * looked up by its ownership marker (link-marker.ts); only when it is not there is it created
 * again.
 */
export interface CreateRetryOptions<T> {
  scheduler: MailboxScheduler;
  mailbox: string;
  /** The POST, run with `idempotent: false`. */
  post: () => Promise<T>;
  /** What the failed attempt may have made, by its marker; null when it made nothing. */
  find: () => Promise<T | null>;
}

export async function createWithoutDuplicates<T>(options: CreateRetryOptions<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let failure: SyncError;
    try {
      return await options.post();
    } catch (error) {
      if (!mayHaveCommitted(error)) throw error;
      failure = error;
    }
    const delay = options.scheduler.retryDelay(failure.status ?? 503, null, attempt);
    if (delay === undefined) throw failure;
    options.scheduler.pause(options.mailbox, delay);
    const found = await options.find();
    if (found !== null) return found;
  }
}

/** A failure after which the request may have been carried out: no answer, or a 5xx. */
export function mayHaveCommitted(error: unknown): error is SyncError {
  if (!isSyncError(error, 'transient')) return false;
  return error.status === undefined || error.status >= 500;
}
