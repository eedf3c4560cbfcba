import type { CrmContact } from '../contact/index.js';
import type { QueueMessage } from '../queue-message.js';
import type { SyncDeps } from './deps.js';
import { isTaggedFor } from './plan.js';

/**
 * A CRM event names a contact, not an account. Every account the contact is tagged for or
 * linked to gets its own `crmChanged` message, in that account's session. An event whose
 * version the account's link already holds is the echo of our own write (or a duplicate):
 * it is dropped here, before it costs a message, a lease and a read.
 */
export async function fanOutCrmEvent(
  deps: SyncDeps,
  message: Extract<QueueMessage, { kind: 'crmEvent' }>,
): Promise<number> {
  let contact: Promise<CrmContact | null> | undefined;
  const current = () => {
    contact ??= message.deleted ? Promise.resolve(null) : deps.crm.get(message.contactId);
    return contact;
  };
  let sent = 0;
  for await (const account of deps.accounts.list()) {
    const link = await deps.mirror.getByCrmId(account.id, message.contactId);
    if (link && !message.deleted && link.value.crmVersion >= message.version) continue;
    const read = await current();
    if (!link && !(read && isTaggedFor(read, account.id))) continue;
    const version = read ? read.version : null;
    await deps.queue.send('crm-to-exchange', {
      v: 1,
      kind: 'crmChanged',
      accountId: account.id,
      contactId: message.contactId,
      version,
      sessionKey: account.id,
      dedupeId: `crm:${account.id}:${message.contactId}:${version ?? `deleted-${message.version}`}`.slice(
        0,
        128,
      ),
    });
    sent++;
  }
  return sent;
}
