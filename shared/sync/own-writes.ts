import { BoundedMap } from '../bounded-map.js';
import type { CrmContacts } from '../ports.js';

/**
 * The CRM versions this process wrote itself, lately. The CRM sends an event for each of them
 * (an echo of our own write); the webhook drops those before they cost a queue message and a
 * fan-out. Safe because a version names exactly one change: the event for the version our
 * write returned is that write, and a user's later edit has a later version. Only the latest
 * write per contact is kept and only so many contacts; an echo this process no longer knows
 * (or one that reaches another instance) takes the durable path, where fan-out compares it
 * with the link's version.
 */
export class OwnCrmWrites {
  readonly #latest: BoundedMap<number>;

  constructor(capacity = 50_000) {
    this.#latest = new BoundedMap(capacity);
  }

  record(contact: { id: string; version: number }): void {
    this.#latest.set(contact.id, contact.version);
  }

  isEcho(contactId: string, version: number): boolean {
    return this.#latest.get(contactId) === version;
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
