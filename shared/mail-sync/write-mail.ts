import { isDeepStrictEqual } from 'node:util';
import { isSyncError } from '../errors.js';
import type { CrmMail } from '../mail/crm-mail.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { MailDeps } from './deps.js';

/**
 * One CRM e-mail written: first our store (under its ETag, so the copies of two mailboxes
 * merged at the same moment cannot overwrite each other there), then the CRM. Two workers can
 * still reach the CRM in the other order than they reached the store; so after its PUT a
 * writer reads the store again and, when another one wrote since, PUTs that newer state too.
 * Whoever writes the store last also PUTs last, so the CRM ends with the store's state.
 *
 * Returns false on a store conflict (the caller re-plans with the fresh e-mail).
 */
export interface StoredMail {
  mail: CrmMail;
  etag: string | null;
}

export async function writeMail(
  deps: MailDeps,
  lease: HeldLease,
  tenantId: string,
  mail: CrmMail,
  stored: StoredMail | undefined,
): Promise<StoredMail | null> {
  await lease.check();
  let etag: string;
  try {
    etag = await deps.mailStore.putMail(tenantId, mail, stored?.etag ?? null);
  } catch (error) {
    if (isSyncError(error, 'conflict')) return null;
    throw error;
  }
  let sent = mail;
  for (let attempt = 0; attempt < 5; attempt++) {
    await lease.check();
    const { key: _key, ...input } = sent;
    await deps.crmEmails.upsert(sent.key, input);
    const now = await deps.mailStore.getMail(tenantId, mail.key);
    if (!now || now.etag === etag || isDeepStrictEqual(now.value, sent)) break;
    // Another mailbox's worker wrote the store after us: make sure the CRM has its state.
    sent = now.value;
    etag = now.etag;
  }
  return { mail: sent, etag };
}
