import type { CrmContact } from '../contact/index.js';
import type { AccountSession } from './account-session.js';
import { syncCrmContact } from './crm-push.js';
import type { SyncDeps } from './deps.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';
import { isTaggedFor } from './plan.js';

/** Minutes subtracted from the cursor: CRM clocks and in-flight writes must not slip past it. */
const CURSOR_OVERLAP_MS = 5 * 60_000;

/**
 * The CRM half of reconcile: every contact changed since the account's cursor that is tagged
 * for it or linked to it goes through the same path as a CRM event, so dropped events are
 * caught up. A full sweep also finds linked contacts deleted in the CRM while events were lost.
 */
export async function sweepCrm(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
  full: boolean,
): Promise<SyncTally> {
  const tally = emptyTally();
  const account = session.account;
  const since =
    full || !account.crmCursor
      ? undefined
      : new Date(Date.parse(account.crmCursor) - CURSOR_OVERLAP_MS).toISOString();
  const listed = new Set<string>();
  let newest = account.crmCursor;
  let pageToken: string | undefined;
  do {
    const page = await deps.crm.list({
      ...(since ? { updatedSince: since } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    for (const contact of page.items) {
      listed.add(contact.id);
      if (!newest || contact.updatedAt > newest) newest = contact.updatedAt;
      if (await concerns(deps, account.id, contact)) {
        addTally(tally, await syncCrmContact(deps, session, contact.id, targetFolderId, contact.version));
      }
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (full) {
    const unlisted: string[] = [];
    for await (const link of deps.mirror.list(account.id))
      if (!listed.has(link.crmId)) unlisted.push(link.crmId);
    for (const crmId of unlisted)
      addTally(tally, await syncCrmContact(deps, session, crmId, targetFolderId, null));
  }
  if (newest !== account.crmCursor) await session.update((a) => ({ ...a, crmCursor: newest }));
  return tally;
}

async function concerns(deps: SyncDeps, accountId: string, contact: CrmContact): Promise<boolean> {
  return isTaggedFor(contact, accountId) || (await deps.mirror.getByCrmId(accountId, contact.id)) !== null;
}
