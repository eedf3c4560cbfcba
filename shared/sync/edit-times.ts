import type { CrmContact } from '../contact/index.js';
import type { SyncDeps } from './deps.js';

/**
 * When a user made the edit the CRM contact's current version carries, if the sync wrote
 * that version for another account: that account's link remembers the Outlook edit's time
 * (ContactLink.crmEditedAt). Null when no other account wrote it: then its `updatedAt` is a
 * user's edit. Only the accounts the contact is tagged for can have written it, so a contact
 * of one account costs no read.
 */
export async function crmEditedAt(
  deps: SyncDeps,
  accountId: string,
  crm: CrmContact | null,
): Promise<Date | null> {
  if (!crm) return null;
  for (const other of crm.syncAccounts) {
    if (other === accountId) continue;
    const link = await deps.mirror.getByCrmId(other, crm.id);
    if (link?.value.crmVersion === crm.version && link.value.crmEditedAt)
      return new Date(link.value.crmEditedAt);
  }
  return null;
}
