import { BoundedMap } from '../bounded-map.js';
import type { CrmContacts } from '../ports.js';

/**
 * The CRM versions this process wrote itself, lately. The CRM sends an event for each of them
 * (an echo of our own write); the webhook drops those before they cost a queue message and a
 * fan-out. Safe because a version names exactly one change: the event for the version our
 * write returned is that write, and a user's later edit has a later version.
 *
 * Per account: the sync writes a CRM contact for one account (the one whose mailbox changed),
 * and the event is that account's echo only. A contact tagged for other accounts too is news
 * for them (their Outlook copies must follow at once), so its event is not dropped here; the
 * fan-out skips the writing account by its link's version and sends it to the others. Only a
 * write that leaves the contact tagged for at most one account (the writer: the sync adds its
 * own account's tag to what it writes) is an echo for everybody it concerns.
 *
 * Only the latest write per contact is kept and only so many contacts; an echo this process no
 * longer knows (or one that reaches another instance) takes the durable path, where fan-out
 * compares it with the link's version.
 */
export class OwnCrmWrites {
  readonly #latest: BoundedMap<{ version: number; accounts: number }>;

  constructor(capacity = 50_000) {
    this.#latest = new BoundedMap(capacity);
  }

  record(contact: { id: string; version: number; syncAccounts?: readonly string[] }): void {
    this.#latest.set(contact.id, { version: contact.version, accounts: contact.syncAccounts?.length ?? 0 });
  }

  /** True when the event is our own write and concerns no account but the one that wrote it. */
  isEcho(contactId: string, version: number): boolean {
    const latest = this.#latest.get(contactId);
    return latest !== undefined && latest.version === version && latest.accounts <= 1;
  }
}

/** The CRM port, remembering the version of every contact it creates or updates. */
export function rememberingOwnWrites(crm: CrmContacts, own: OwnCrmWrites): CrmContacts {
  return {
    list: (options) => crm.list(options),
    get: (id) => crm.get(id),
    findByEmail: (email) => crm.findByEmail(email),
    delete: (id, version) => crm.delete(id, version),
    async create(input, idempotencyKey) {
      const created = await crm.create(input, idempotencyKey);
      own.record(created);
      return created;
    },
    async update(id, patch, version) {
      const updated = await crm.update(id, patch, version);
      own.record(updated);
      return updated;
    },
  };
}
