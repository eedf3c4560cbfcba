import { type CrmContact, contentHash, type ExchangeContact, exchangeFieldsOf } from '../contact/index.js';
import { isSyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { AccountSession } from './account-session.js';
import type { SyncDeps } from './deps.js';
import type { ContactLink } from './link.js';

/**
 * An Outlook contact restored from Deleted Items under its old (immutable) id after the sync
 * re-created it from its CRM contact (a CRM edit beat the Outlook delete, DESIGN 9.6): the
 * key of its first CRM create replays that CRM contact, which the sync's copy holds by now.
 * Both Outlook contacts are the same person and the user asked for the original back, so the
 * original takes the copy's place (whole-stack soak seed 1169968522; before, the next key of
 * the chain made a second CRM contact and Outlook kept both):
 * - the copy is deleted, conditional on the changeKey the sync last saw: an Outlook edit of
 *   the copy since wins, and then both stay, each a contact of its own, as before;
 * - the link follows the original, based on the original as it is (its changeKey, so a
 *   delete of it is conditional too) and at CRM version 0, so re-planned as a CRM change it
 *   writes what the CRM holds now into the original (the CRM edit that brought the copy back)
 *   and keeps what only Outlook holds.
 * The CRM contact may have lost the sync tag since the copy was made (the untag not synced
 * yet): the original takes the copy's place all the same, and the re-plan deletes it, as
 * the untag would have deleted the copy (DESIGN 9.6) and as it does when the sync saw the
 * untag first (the replayed key then links the original to the untagged contact). Turned
 * down, the next key of the chain made a second CRM contact (soak seed 1169968522's replay
 * after 12d1ac2).
 * Returns the moved link, or null when the CRM contact is not held by such a copy (a copy of
 * another pair's, or a contact the Outlook user made: then the original is its own contact).
 * A crash after the copy's delete leaves the pending create, whose retry comes here again.
 * The action log of the CRM contact records the exchange.
 */
export async function takeCopysPlace(
  deps: SyncDeps,
  session: AccountSession,
  original: ExchangeContact,
  crm: CrmContact,
): Promise<Stored<ContactLink> | null> {
  const account = session.account;
  const holder = await deps.mirror.getByCrmId(account.id, crm.id);
  if (holder?.value.origin !== 'crm' || holder.value.exchangeId === original.id) return null;
  const copy = holder.value;
  try {
    await deps.exchange.delete(session.mailbox, copy.exchangeId, copy.changeKey ?? undefined);
  } catch (error) {
    if (isSyncError(error, 'conflict')) return null;
    throw error;
  }
  const snapshot = exchangeFieldsOf(original, account.defaultCountry);
  const moved: ContactLink = {
    ...copy,
    exchangeId: original.id,
    exchangeFolderId: original.parentFolderId ?? copy.exchangeFolderId,
    changeKey: original.changeKey ?? null,
    crmVersion: 0,
    snapshot,
    snapshotHash: contentHash(snapshot),
    origin: 'exchange',
    deleting: undefined,
    pendingSnapshot: undefined,
    pendingExchange: undefined,
    syncedAt: deps.clock.now().toISOString(),
  };
  const etag = await deps.mirror.put(moved, holder.etag);
  await deps.mirror.appendLog(account.id, [
    {
      contactKey: `crm:${crm.id}`,
      at: moved.syncedAt,
      level: 'info',
      action: 'deletedInExchange',
      detail: `Outlook contact ${original.id} restored: it replaces the copy ${copy.exchangeId} made from the CRM`,
    },
  ]);
  return { value: moved, etag };
}
