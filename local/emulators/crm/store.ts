import { randomUUID } from 'node:crypto';
import type { CrmContact, CrmContactInput, CrmEvent } from '../../../shared/contact/crm-contact.js';
import { HttpError } from './http.js';
import { type ListQuery, pageOf } from './paging.js';

/**
 * The emulator's contacts, in memory. Every change (API or "as a user" through the admin
 * API) goes through create/update/remove, which bump `version` and `updatedAt` and report the
 * change to `onChange` (the webhook dispatcher). Only `seed` changes state silently.
 */

export interface ContactChange {
  type: CrmEvent['type'];
  contactId: string;
  version: number;
  occurredAt: string;
}

export class ContactStore {
  private readonly contacts = new Map<string, CrmContact>();
  /** Idempotency-Key → id of the contact the first request with that key created. */
  private readonly createdByKey = new Map<string, string>();
  /** Normalised e-mail address → ids of the contacts that have it (a CRM indexes this search). */
  private readonly byEmail = new Map<string, Set<string>>();

  constructor(
    private readonly clock: () => Date,
    private readonly onChange: (change: ContactChange) => void,
  ) {}

  reset(): void {
    this.contacts.clear();
    this.createdByKey.clear();
    this.byEmail.clear();
  }

  all(): CrmContact[] {
    return [...this.contacts.values()];
  }

  get(id: string): CrmContact {
    const contact = this.contacts.get(id);
    if (!contact) throw new HttpError(404, 'not_found', `No contact with id ${JSON.stringify(id)}`);
    return contact;
  }

  /** Puts a contact in place without an event: the state "before the webhook existed". */
  seed(input: CrmContactInput & { id?: string | undefined }): CrmContact {
    const { id = randomUUID(), ...content } = input;
    if (this.contacts.has(id)) throw new HttpError(409, 'already_exists', `Contact ${id} already exists`);
    const now = this.clock().toISOString();
    const contact: CrmContact = { ...content, id, version: 1, createdAt: now, updatedAt: now };
    this.store(contact);
    return contact;
  }

  /** Creates a contact; a repeated `idempotencyKey` returns the contact the first call made. */
  create(input: CrmContactInput, idempotencyKey?: string): { contact: CrmContact; replayed: boolean } {
    const earlierId = idempotencyKey === undefined ? undefined : this.createdByKey.get(idempotencyKey);
    if (earlierId !== undefined) {
      const earlier = this.contacts.get(earlierId);
      if (!earlier) {
        throw new HttpError(
          409,
          'idempotency_key_reused',
          `The contact created with this Idempotency-Key (${earlierId}) has been deleted since`,
        );
      }
      return { contact: earlier, replayed: true };
    }
    const contact = this.seed(input);
    if (idempotencyKey !== undefined) this.createdByKey.set(idempotencyKey, contact.id);
    this.emit('contact.created', contact);
    return { contact, replayed: false };
  }

  /** Merges the given top-level fields; 412 when `expectedVersion` is stale. */
  update(id: string, patch: Partial<CrmContactInput>, expectedVersion?: number): CrmContact {
    const current = this.current(id, expectedVersion);
    const contact: CrmContact = {
      ...current,
      ...patch,
      id,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: this.clock().toISOString(),
    };
    this.store(contact);
    this.emit('contact.updated', contact);
    return contact;
  }

  remove(id: string, expectedVersion?: number): void {
    const current = this.current(id, expectedVersion);
    this.unstore(current);
    // A delete is a change too: its event carries the next version, so consumers can order it.
    this.emit('contact.deleted', { ...current, version: current.version + 1 });
  }

  list(query: ListQuery): { items: CrmContact[]; nextPageToken?: string } {
    return pageOf(this.all(), query);
  }

  /** Case-insensitive match on any of a contact's e-mail addresses. */
  findByEmail(email: string): CrmContact[] {
    const ids = this.byEmail.get(normalisedEmail(email)) ?? [];
    return [...ids].map((id) => this.get(id)).sort((a, b) => a.id.localeCompare(b.id));
  }

  private store(contact: CrmContact): void {
    const previous = this.contacts.get(contact.id);
    if (previous) this.unstore(previous);
    this.contacts.set(contact.id, contact);
    for (const { address } of contact.emails) {
      const key = normalisedEmail(address);
      const ids = this.byEmail.get(key) ?? new Set<string>();
      ids.add(contact.id);
      this.byEmail.set(key, ids);
    }
  }

  private unstore(contact: CrmContact): void {
    this.contacts.delete(contact.id);
    for (const { address } of contact.emails) {
      const key = normalisedEmail(address);
      const ids = this.byEmail.get(key);
      ids?.delete(contact.id);
      if (ids?.size === 0) this.byEmail.delete(key);
    }
  }

  private current(id: string, expectedVersion: number | undefined): CrmContact {
    const current = this.get(id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new HttpError(
        412,
        'precondition_failed',
        `Contact ${id} is at version ${current.version}, not ${expectedVersion}`,
        { etag: `"${current.version}"` },
      );
    }
    return current;
  }

  private emit(type: ContactChange['type'], contact: CrmContact): void {
    this.onChange({
      type,
      contactId: contact.id,
      version: contact.version,
      occurredAt: this.clock().toISOString(),
    });
  }
}

function normalisedEmail(address: string): string {
  return address.trim().toLowerCase();
}
