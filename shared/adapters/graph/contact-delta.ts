import { GRAPH_CONTACT_SELECT } from '../../contact/exchange-contact.js';
import { isSyncError } from '../../errors.js';
import type { DeltaPage } from '../../ports.js';
import { contactPageSchema, parseContactItems, type SkippedItem } from './contact-page.js';
import { api, callGraph, type GraphCaller } from './graph-call.js';
import { paths, withQuery } from './graph-paths.js';

/**
 * One delta round of a contact folder, page by page (graph-azure-facts.md section 2). The
 * nextLink/deltaLink URLs are absolute and carry the query in their tokens, so they are
 * replayed as they are (`client.api(url)` takes an absolute https URL as given).
 * `Prefer: odata.maxpagesize` goes on every request; Graph treats it as a hint.
 *
 * An expired or unknown sync state (410 / SyncStateNotFound) restarts the round from scratch,
 * on whichever page it comes: Outlook evicts sync states when its cache fills, so a nextLink
 * can expire in the middle of a round as well as a stored deltaLink. Pages from the restart on
 * say `restarted: true`, so the caller knows it is now looking at the whole folder and not at
 * changes (pages before it were changes and stay valid). At most MAX_RESTARTS times per
 * round; then the `deltaExpired` error goes to the caller.
 *
 * A deleted folder answers ErrorSyncFolderNotFound: a `notFound` SyncError with that code.
 */
const MAX_RESTARTS = 2;
export interface GraphDeltaPage extends DeltaPage {
  /** Items Graph sent that did not validate; not in `upserts`, reported so they are visible. */
  skipped: SkippedItem[];
}

const DELTA_CONTEXT = 'GET /users/{m}/contactFolders/{f}/contacts/delta';

export async function* contactDelta(
  graph: GraphCaller,
  mailbox: string,
  folderId: string,
  deltaLink: string | null,
  pageSize: number,
): AsyncGenerator<GraphDeltaPage> {
  const fullRound = withQuery(paths.folderDelta(mailbox, folderId), {
    $select: GRAPH_CONTACT_SELECT.join(','),
  });
  let url = deltaLink ?? fullRound;
  let restarted = false;
  let restarts = 0;
  for (;;) {
    let page: ReturnType<typeof contactPageSchema.parse>;
    try {
      page = await callGraph(
        graph,
        mailbox,
        DELTA_CONTEXT,
        (client) => api(client, url, `odata.maxpagesize=${pageSize}`).get(),
        contactPageSchema,
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
    const items = parseContactItems(page.value);
    yield { ...items, restarted, ...(next === undefined && done !== undefined ? { deltaLink: done } : {}) };
    if (next === undefined) return;
    url = next;
  }
}
