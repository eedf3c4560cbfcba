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
 * creates is resumed by the contact that create made, never by a second one.
 */
export async function createOnce(
  crm: CrmContacts,
  input: CrmContactInput,
  accountId: string,
  linkId: string,
): Promise<CrmContact> {
  for (let n = 0; n < MAX_KEYS; n++) {
    const base = crmIdempotencyKey(accountId, linkId);
    try {
      return await crm.create(input, n === 0 ? base : `${base}~${n}`);
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
