import type { DeltaEntry } from '../../../mail/message.js';
import type { MailDeltaPage } from '../../../mail-sync/ports.js';
import type { EwsTransport } from '../ews-transport.js';
import { MAX_CHANGES, syncFolderItemsPages } from '../sync-folder-items.js';
import { getItems } from './get-items.js';
import { folderRef } from './mail-folders.js';
import { METADATA_SHAPE } from './message-fields.js';
import { messageEntry } from './message-mapping.js';

/**
 * One SyncFolderItems round of a mail folder (syncfolderitems-operation.md), the EWS
 * counterpart of `messages/delta`: IdOnly, up to 512 changes a call, paging until
 * IncludesLastItemInRange; the SyncState is the folder's cursor. Creates and Updates are read
 * by GetItem in batches with the fields the rules need (message-fields.ts); a Delete is a
 * `removed` entry (a move out of the folder is one too: EWS gives the moved item a new id in
 * its new folder); a ReadFlagChange changes nothing the CRM shows and is dropped; an item gone
 * before it was read is `removed`.
 *
 * The folder's cursor (`deltaLink`) is the SyncState of the last page; every page also carries
 * its own SyncState as `resumeCursor`, which the mail round saves after the page, so a round
 * cut off in the middle (a first import of thousands of messages) resumes there; the
 * first-import window still applies until the round's deltaLink is saved.
 *
 * ErrorInvalidSyncStateData restarts the round without a state (`restarted: true`), at most
 * twice, as the Graph adapter restarts on a 410.
 */
export interface EwsMailDeltaPage extends MailDeltaPage {
  resumeCursor: string;
}

export { MAX_CHANGES };

export async function* mailFolderChanges(
  transport: EwsTransport,
  folderId: string,
  state: string | null,
  pageSize = MAX_CHANGES,
  readBatch?: number,
): AsyncGenerator<EwsMailDeltaPage> {
  for await (const page of syncFolderItemsPages(transport, folderRef(folderId), state, pageSize)) {
    const upserts = [...page.latest].filter(([, k]) => k === 'upsert').map(([id]) => id);
    const read = await getItems(transport, upserts, METADATA_SHAPE, readBatch);
    const entries: DeltaEntry[] = [...page.latest].map(([id, kind]) => {
      const item = kind === 'upsert' ? read.get(id) : undefined;
      return item ? messageEntry(item) : { kind: 'removed', id, reason: 'deleted' };
    });
    const { syncState, last, restarted } = page;
    yield { entries, restarted, resumeCursor: syncState, ...(last ? { deltaLink: syncState } : {}) };
  }
}
