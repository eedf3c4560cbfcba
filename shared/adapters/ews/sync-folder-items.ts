import { isSyncError } from '../../errors.js';
import type { EwsTransport } from './ews-transport.js';
import { callEws, orThrow } from './soap-client.js';
import { child, el } from './xml.js';

/** The most changes Exchange returns in one SyncFolderItems answer (MaxChangesReturned 1–512). */
export const MAX_CHANGES = 512;
const MAX_RESTARTS = 2;

/** One SyncFolderItems answer, reduced to what both folder kinds (contacts, mail) need. */
export interface SyncFolderItemsPage {
  /** Each changed id with its last change on this page (the port's rule for a page). */
  latest: Map<string, 'upsert' | 'remove'>;
  /** The answer's SyncState: a valid point to resume from once the page has been processed. */
  syncState: string;
  /** IncludesLastItemInRange: the round's last page. */
  last: boolean;
  /** The stored state was refused (ErrorInvalidSyncStateData) and the round began again without one. */
  restarted: boolean;
}

/**
 * The paging of one SyncFolderItems round (syncfolderitems-operation): IdOnly, `pageSize`
 * changes a call, looping until IncludesLastItemInRange. ErrorInvalidSyncStateData restarts the
 * round without a state, at most twice, as the Graph adapter does with a 410. A ReadFlagChange
 * (mail only) changes nothing either sync shows and is dropped. `folderXml` is the folder's
 * `t:FolderId` or `t:DistinguishedFolderId` element.
 */
export async function* syncFolderItemsPages(
  transport: EwsTransport,
  folderXml: string,
  state: string | null,
  pageSize = MAX_CHANGES,
): AsyncGenerator<SyncFolderItemsPage> {
  let current = state;
  let restarted = false;
  let restarts = 0;
  for (;;) {
    let element: ReturnType<typeof orThrow>;
    try {
      const [message] = await callEws(transport, 'SyncFolderItems', request(folderXml, current, pageSize));
      element = orThrow('SyncFolderItems', message);
    } catch (error) {
      if (!isSyncError(error, 'deltaExpired') || current === null || restarts >= MAX_RESTARTS) throw error;
      restarts++;
      restarted = true;
      current = null;
      continue;
    }
    const syncState = child(element, 'SyncState')?.text ?? '';
    const last = child(element, 'IncludesLastItemInRange')?.text.trim() === 'true';
    const latest = new Map<string, 'upsert' | 'remove'>();
    for (const change of child(element, 'Changes')?.children ?? []) {
      if (change.name === 'ReadFlagChange') continue;
      const ref = change.name === 'Delete' ? child(change, 'ItemId') : child(change.children[0], 'ItemId');
      const id = ref?.attrs['Id'];
      if (!id) continue;
      latest.delete(id);
      latest.set(id, change.name === 'Delete' ? 'remove' : 'upsert');
    }
    yield { latest, syncState, last, restarted };
    if (last) return;
    current = syncState;
  }
}

function request(folderXml: string, state: string | null, pageSize: number): string {
  return (
    '<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>' +
    `<m:SyncFolderId>${folderXml}</m:SyncFolderId>` +
    (state ? el('m:SyncState', state) : '') +
    `<m:MaxChangesReturned>${pageSize}</m:MaxChangesReturned></m:SyncFolderItems>`
  );
}
