import type { ExchangeContact } from '../../contact/exchange-contact.js';
import { isSyncError } from '../../errors.js';
import type { DeltaPage } from '../../ports.js';
import type { EwsTransport } from './ews-transport.js';
import { callEws, orThrow } from './soap-client.js';
import { child, el, esc } from './xml.js';

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

export const MAX_CHANGES = 512;
const MAX_RESTARTS = 2;

export async function* syncFolderItems(
  transport: EwsTransport,
  folderId: string,
  state: string | null,
  read: (ids: string[]) => Promise<ExchangeContact[]>,
  pageSize = MAX_CHANGES,
): AsyncGenerator<EwsDeltaPage> {
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
    const last = child(element, 'IncludesLastItemInRange')?.text === 'true';
    // Within a page an id keeps only its last change (the port's rule for a page).
    const latest = new Map<string, 'upsert' | 'remove'>();
    for (const change of child(element, 'Changes')?.children ?? []) {
      const id = (change.name === 'Delete' ? change.children[0] : change.children[0]?.children[0])?.attrs[
        'Id'
      ];
      if (!id) continue;
      latest.delete(id);
      latest.set(id, change.name === 'Delete' ? 'remove' : 'upsert');
    }
    const upsertIds = [...latest].filter(([, k]) => k === 'upsert').map(([id]) => id);
    const read_ = await read(upsertIds);
    const found = new Set(read_.map((c) => c.id));
    // An item created and gone again before we read it is not reported at all.
    const removedIds = [...latest].filter(([id, k]) => k === 'remove' || !found.has(id)).map(([id]) => id);
    yield {
      upserts: read_,
      removedIds: removedIds.filter((id) => !found.has(id)),
      restarted,
      resumeCursor: next,
      ...(last ? { deltaLink: next } : {}),
    };
    if (last) return;
    current = next;
  }
}

function request(folderId: string, state: string | null, pageSize: number): string {
  return (
    '<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>' +
    `<m:SyncFolderId><t:FolderId Id="${esc(folderId)}"/></m:SyncFolderId>` +
    (state ? el('m:SyncState', state) : '') +
    `<m:MaxChangesReturned>${pageSize}</m:MaxChangesReturned></m:SyncFolderItems>`
  );
}
