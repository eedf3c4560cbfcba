import type { CrmContact } from '../contact/index.js';
import type { AccountSession } from './account-session.js';
import { type CrmChange, syncCrmContacts } from './crm-push.js';
import type { SyncDeps } from './deps.js';
import { addTally, emptyTally, type SyncTally } from './outcome.js';
import { isTaggedFor } from './plan.js';

/** Minutes subtracted from the cursor: CRM clocks and in-flight writes must not slip past it. */
const CURSOR_OVERLAP_MS = 5 * 60_000;

/**
 * The CRM half of reconcile: every contact changed since the account's cursor that is tagged
 * for it or linked to it goes through the same path as a CRM event (pushed in batches), so
 * dropped events are caught up. A full sweep reads the account's links once, up front, and
 * compares every listed contact with them (a version the link already holds is skipped, as a
 * push would skip it) instead of reading the mirror twice per contact; it also finds linked
 * contacts deleted in the CRM while events were lost. The worker holds the account's lease,
 * so the links cannot change meanwhile except through this sweep.
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
  const linked = full ? await linkedVersions(deps, account.id) : null;
  const listed = new Set<string>();
  let newest = account.crmCursor;
  let pageToken: string | undefined;
  do {
    const page = await deps.crm.list({
      ...(since ? { updatedSince: since } : {}),
      ...(pageToken ? { pageToken } : {}),
    });
    const changes: CrmChange[] = [];
    for (const contact of page.items) {
      listed.add(contact.id);
      if (!newest || contact.updatedAt > newest) newest = contact.updatedAt;
      const wanted = linked
        ? pushNeeded(linked, account.id, contact)
        : await concerns(deps, account.id, contact);
      if (wanted) changes.push({ contactId: contact.id, version: contact.version });
      else if (linked?.has(contact.id)) tally.unchanged++;
    }
    addTally(tally, await syncCrmContacts(deps, session, changes, targetFolderId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (linked) {
    const gone = [...linked.keys()].filter((crmId) => !listed.has(crmId));
    const deletions = gone.map((crmId) => ({ contactId: crmId, version: null }));
    addTally(tally, await syncCrmContacts(deps, session, deletions, targetFolderId));
  }
  if (newest !== account.crmCursor) await session.update((a) => ({ ...a, crmCursor: newest }));
  return tally;
}

/** CRM id → the CRM version each of the account's links holds. */
async function linkedVersions(deps: SyncDeps, accountId: string): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for await (const link of deps.mirror.list(accountId)) versions.set(link.crmId, link.crmVersion);
  return versions;
}

function pushNeeded(linked: Map<string, number>, accountId: string, contact: CrmContact): boolean {
  const held = linked.get(contact.id);
  return held === undefined ? isTaggedFor(contact, accountId) : contact.version > held;
}

async function concerns(deps: SyncDeps, accountId: string, contact: CrmContact): Promise<boolean> {
  return isTaggedFor(contact, accountId) || (await deps.mirror.getByCrmId(accountId, contact.id)) !== null;
}
