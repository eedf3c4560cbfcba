import type { CrmContact, CrmContactInput } from '../contact/index.js';
import { isSyncError, SyncError } from '../errors.js';
import type { CrmContacts } from '../ports.js';
import { crmIdempotencyKey } from './link-id.js';

/** How many keys of a create's chain are tried before giving up (each 409 is one cheap request). */
const MAX_KEYS = 20;

/**
 * A CRM create that happens once per pair, also across crashes: the idempotency key is derived
 * from the link id. The CRM answers 409 `idempotency_key_reused` when the contact the key
 * created was deleted since (a contact restored in Outlook under its old immutable id, or the
 * CRM copy of an interrupted create deleted before the sync recorded it). Then the next key of
 * a fixed chain is tried: the chain is the same on every attempt, so a crash after any of its
 * creates is resumed by the contact that create made, never by a second one. `usable` turns
 * down a replayed contact that belongs to another pair by now (an Outlook contact restored
 * under its old id while its first CRM contact was linked elsewhere): then the next key too.
 */
export async function createOnce(
  crm: CrmContacts,
  input: CrmContactInput,
  accountId: string,
  linkId: string,
  usable: (contact: CrmContact) => Promise<boolean> = async () => true,
): Promise<CrmContact> {
  for (let n = 0; n < MAX_KEYS; n++) {
    const base = crmIdempotencyKey(accountId, linkId);
    try {
      const created = await crm.create(input, n === 0 ? base : `${base}~${n}`);
      if (await usable(created)) return created;
    } catch (error) {
      if (!(isSyncError(error, 'conflict') && error.code === 'idempotency_key_reused')) throw error;
    }
  }
  throw new SyncError(
    'permanent',
    'IdempotencyChainExhausted',
    `${MAX_KEYS} creates of ${linkId} were deleted`,
  );
}
