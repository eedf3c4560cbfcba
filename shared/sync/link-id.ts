import { createHash } from 'node:crypto';

/**
 * Deterministic ids for pairs, so a retried create finds what the first attempt made:
 * - a contact we create in Exchange carries `linkIdFromCrm(crmId)` as its ownership marker;
 * - a contact we create in the CRM uses `linkIdFromExchange(...)` as its idempotency key.
 * Exchange ids are long and opaque, so they are hashed; CRM ids are short and kept readable.
 */
export function linkIdFromCrm(crmId: string): string {
  return `crm.${crmId}`;
}

export function linkIdFromExchange(accountId: string, exchangeId: string): string {
  const digest = createHash('sha256').update(`${accountId}\u0000${exchangeId}`).digest('base64url');
  return `exch.${digest.slice(0, 32)}`;
}

/** The CRM idempotency key of a create for an account (the CRM is shared by all accounts). */
export function crmIdempotencyKey(accountId: string, linkId: string): string {
  return `${accountId}:${linkId}`;
}

/** The link id of a pair re-created after `replacedCrmId` was deleted: unique per generation. */
export function relinkId(linkId: string, replacedCrmId: string): string {
  const digest = createHash('sha256').update(replacedCrmId).digest('base64url');
  return `${linkId}.r${digest.slice(0, 12)}`;
}
