import type { QueueMessage } from '../queue-message.js';
import type { SyncDeps } from './deps.js';
import { isTaggedFor } from './plan.js';

/**
 * A CRM event names a contact, not an account. Every account the contact is tagged for or
 * linked to gets its own `crmChanged` message, in that account's session.
 */
export async function fanOutCrmEvent(
  deps: SyncDeps,
  message: Extract<QueueMessage, { kind: 'crmEvent' }>,
): Promise<number> {
  const contact = message.deleted ? null : await deps.crm.get(message.contactId);
  const version = contact ? contact.version : null;
  let sent = 0;
  for await (const account of deps.accounts.list()) {
    const concerned =
      (contact !== null && isTaggedFor(contact, account.id)) ||
      (await deps.mirror.getByCrmId(account.id, message.contactId)) !== null;
    if (!concerned) continue;
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
