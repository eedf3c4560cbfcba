import { isSyncError } from '../../../errors.js';
import type { DeltaEntry } from '../../../mail/message.js';
import type { MailDeltaPage } from '../../../mail-sync/ports.js';
import type { EwsTransport } from '../ews-transport.js';
import { callEws, orThrow } from '../soap-client.js';
import { child, el } from '../xml.js';
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

export const MAX_CHANGES = 512;
const MAX_RESTARTS = 2;

export async function* mailFolderChanges(
  transport: EwsTransport,
  folderId: string,
  state: string | null,
  pageSize = MAX_CHANGES,
  readBatch?: number,
): AsyncGenerator<EwsMailDeltaPage> {
  let current = state;
  let restarted = false;
  let restarts = 0;
  for (;;) {
    let element: ReturnType<typeof orThrow>;
    try {
      const [message] = await callEws(transport, 'SyncFolderItems', request(folderId, current, pageSize));
      element = orThrow('SyncFolderItems', message);
    } catch (error) {
      if (!isSyncError(error, 'deltaExpired') || current === null || restarts >= MAX_RESTARTS) throw error;
      restarts++;
      restarted = true;
      current = null;
      continue;
    }
    const next = child(element, 'SyncState')?.text ?? '';
    const last = child(element, 'IncludesLastItemInRange')?.text.trim() === 'true';
    // Within a page an id keeps only its last change.
    const latest = new Map<string, 'upsert' | 'remove'>();
    for (const change of child(element, 'Changes')?.children ?? []) {
      if (change.name === 'ReadFlagChange') continue;
      const ref = change.name === 'Delete' ? child(change, 'ItemId') : child(change.children[0], 'ItemId');
      const id = ref?.attrs['Id'];
      if (!id) continue;
      latest.delete(id);
      latest.set(id, change.name === 'Delete' ? 'remove' : 'upsert');
    }
    const upserts = [...latest].filter(([, k]) => k === 'upsert').map(([id]) => id);
    const read = await getItems(transport, upserts, METADATA_SHAPE, readBatch);
    const entries: DeltaEntry[] = [...latest].map(([id, kind]) => {
      const item = kind === 'upsert' ? read.get(id) : undefined;
      return item ? messageEntry(item) : { kind: 'removed', id, reason: 'deleted' };
    });
    yield { entries, restarted, resumeCursor: next, ...(last ? { deltaLink: next } : {}) };
    if (last) return;
    current = next;
  }
}

function request(folderId: string, state: string | null, pageSize: number): string {
  return (
    '<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>' +
    `<m:SyncFolderId>${folderRef(folderId)}</m:SyncFolderId>` +
    (state ? el('m:SyncState', state) : '') +
    `<m:MaxChangesReturned>${pageSize}</m:MaxChangesReturned></m:SyncFolderItems>`
  );
}
