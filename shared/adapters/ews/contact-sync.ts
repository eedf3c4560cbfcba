import type { ExchangeContact } from '../../contact/exchange-contact.js';
import type { DeltaPage } from '../../ports.js';
import type { EwsTransport } from './ews-transport.js';
import { MAX_CHANGES, syncFolderItemsPages } from './sync-folder-items.js';
import { esc } from './xml.js';

/**
 * One SyncFolderItems round of a folder (syncfolderitems-operation): IdOnly, 512 changes a
 * call (the most Exchange returns), looping until IncludesLastItemInRange. Creates and
 * updates are read in small GetItem batches (the caller's `read`); deletes become removedIds.
 *
 * Port mapping: every page carries its own SyncState as `resumeCursor` (a valid point to
 * resume from once the page has been processed: Exchange hands out a new SyncState with every
 * answer and takes any of them back), and the last page's is also its `deltaLink`.
 *
 * ErrorInvalidSyncStateData restarts the round without a state (`restarted: true`, the whole
 * folder from then on), at most twice, as the Graph adapter does with a 410.
 */
export interface EwsDeltaPage extends DeltaPage {
  resumeCursor: string;
}

export async function* syncFolderItems(
  transport: EwsTransport,
  folderId: string,
  state: string | null,
  read: (ids: string[]) => Promise<ExchangeContact[]>,
  pageSize = MAX_CHANGES,
): AsyncGenerator<EwsDeltaPage> {
  const folderXml = `<t:FolderId Id="${esc(folderId)}"/>`;
  for await (const page of syncFolderItemsPages(transport, folderXml, state, pageSize)) {
    const upsertIds = [...page.latest].filter(([, k]) => k === 'upsert').map(([id]) => id);
    const read_ = await read(upsertIds);
    const found = new Set(read_.map((c) => c.id));
    // An item created and gone again before we read it is not reported at all.
    const removedIds = [...page.latest]
      .filter(([id, k]) => k === 'remove' || !found.has(id))
      .map(([id]) => id);
    yield {
      upserts: read_,
      removedIds: removedIds.filter((id) => !found.has(id)),
      restarted: page.restarted,
      resumeCursor: page.syncState,
      ...(page.last ? { deltaLink: page.syncState } : {}),
    };
  }
}
