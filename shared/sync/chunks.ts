import { addTally, emptyTally, type SyncTally } from './outcome.js';

/**
 * How many contacts of a batch (a delta page, a session's pushes) are planned and written at
 * once. More than Outlook's 4 concurrent requests: the CRM and mirror calls around each Graph
 * call do not count against it, and the Graph adapter's scheduler holds a mailbox to 4 anyway.
 */
export const CONTACT_CONCURRENCY = 8;

/** Creates per chunk: the pending ledger of one chunk must fit in the account row (64 KiB per property). */
export const CREATE_CHUNK = 40;

/** Runs `chunk` on consecutive slices of `items`, one after another, adding up their tallies. */
export async function tallyInChunks<T>(
  items: readonly T[],
  chunk: (slice: T[]) => Promise<SyncTally>,
): Promise<SyncTally> {
  const tally = emptyTally();
  for (let i = 0; i < items.length; i += CREATE_CHUNK) {
    addTally(tally, await chunk(items.slice(i, i + CREATE_CHUNK)));
  }
  return tally;
}
