import { z } from 'zod';
import { isSyncError } from '../../errors.js';
import { api, callGraph, type GraphCaller } from './graph-call.js';

/**
 * The walk of one Graph delta round, whatever it lists (contacts, messages), page by page
 * (graph-azure-facts.md section 2). The nextLink/deltaLink URLs are absolute and carry the
 * query in their tokens, so they are replayed as they are (`client.api(url)` takes an absolute
 * https URL as given). `Prefer: odata.maxpagesize` goes on every request; Graph treats it as a
 * hint. Items are validated by the caller, one by one, so a bad item never fails its page.
 *
 * An expired or unknown sync state (410 / SyncStateNotFound) restarts the round from scratch,
 * on whichever page it comes: Outlook evicts sync states when its cache fills, so a nextLink
 * can expire in the middle of a round as well as a stored deltaLink. Pages from the restart on
 * say `restarted: true`, so the caller knows it is now looking at the whole folder and not at
 * changes (pages before it were changes and stay valid). At most MAX_RESTARTS times per
 * round; then the `deltaExpired` error goes to the caller.
 */
const MAX_RESTARTS = 2;

export const deltaPageSchema = z
  .object({
    value: z.array(z.unknown()),
    '@odata.nextLink': z.string().min(1).optional(),
    '@odata.deltaLink': z.string().min(1).optional(),
  })
  .loose();

export interface RawDeltaPage {
  items: unknown[];
  restarted: boolean;
  /** Set on the last page only: the cursor to store once the round went through. */
  deltaLink?: string;
}

export async function* deltaPages(
  graph: GraphCaller,
  mailbox: string,
  context: string,
  /** The request that starts a full round (with its `$select`). */
  fullRound: string,
  deltaLink: string | null,
  pageSize: number,
): AsyncGenerator<RawDeltaPage> {
  let url = deltaLink ?? fullRound;
  let restarted = false;
  let restarts = 0;
  for (;;) {
    let page: z.output<typeof deltaPageSchema>;
    try {
      page = await callGraph(
        graph,
        mailbox,
        context,
        (client) => api(client, url, `odata.maxpagesize=${pageSize}`).get(),
        deltaPageSchema,
      );
    } catch (error) {
      if (!isSyncError(error, 'deltaExpired') || restarts >= MAX_RESTARTS) throw error;
      restarts++;
      restarted = true;
      url = fullRound;
      continue;
    }
    const next = page['@odata.nextLink'];
    const done = page['@odata.deltaLink'];
    yield {
      items: page.value,
      restarted,
      ...(next === undefined && done !== undefined ? { deltaLink: done } : {}),
    };
    if (next === undefined) return;
    url = next;
  }
}
