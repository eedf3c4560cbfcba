import { GRAPH_CONTACT_SELECT } from '../../contact/exchange-contact.js';
import type { DeltaPage } from '../../ports.js';
import { parseContactItems, type SkippedItem } from './contact-page.js';
import { deltaPages } from './delta-pages.js';
import type { GraphCaller } from './graph-call.js';
import { paths, withQuery } from './graph-paths.js';

/**
 * One delta round of a contact folder (the walk, restarts included: delta-pages.ts), each page's
 * items validated one by one into upserts and removals.
 *
 * A deleted folder answers ErrorSyncFolderNotFound: a `notFound` SyncError with that code.
 */
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
  for await (const page of deltaPages(graph, mailbox, DELTA_CONTEXT, fullRound, deltaLink, pageSize)) {
    const { items, ...cursor } = page;
    yield { ...parseContactItems(items), ...cursor };
  }
}
