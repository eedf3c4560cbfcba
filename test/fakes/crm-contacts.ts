import { HttpError } from '../../local/emulators/crm/http.js';
import { pageOf } from '../../local/emulators/crm/paging.js';
import {
  type CrmContact,
  type CrmContactInput,
  crmContactInputSchema,
  crmContactSchema,
} from '../../shared/contact/crm-contact.js';
import { SyncError } from '../../shared/errors.js';
import type { Clock, CrmContacts, CrmPage } from '../../shared/ports.js';
import { copy } from './etags.js';
import { FaultHooks } from './fault-hooks.js';

export type CrmMethod = keyof CrmContacts;
export const CRM_WRITES = ['create', 'update', 'delete'] as const satisfies readonly CrmMethod[];

/** A change as the CRM reports it by webhook (a delete carries the next version). */
export interface CrmChange {
  type: 'contact.created' | 'contact.updated' | 'contact.deleted';
  contactId: string;
  version: number;
}

/**
 * The CrmContacts port in memory, with the CRM emulator's semantics (DESIGN section 7): the
 * version grows on every change, a stale version is a 412 (`conflict`), a repeated
 * idempotency key returns the first contact (409 `conflict` when that one was deleted), list
 * pages by (updatedAt, id) with an inclusive `updatedSince` (the emulator's own paging code),
 * findByEmail matches any address case-insensitively. `hooks` counts calls and injects
 * faults; the `user*` methods change contacts as a person in the CRM would.
 */
export class FakeCrmContacts implements CrmContacts {
  readonly hooks = new FaultHooks<CrmMethod>();
  private readonly contacts = new Map<string, CrmContact>();
  private readonly createdByKey = new Map<string, string>();
  private readonly listeners: ((change: CrmChange) => void)[] = [];
  private nextId = 0;

  constructor(
    private readonly clock: Clock,
    private readonly pageSize = 7,
  ) {}

  // ------------------------------------------------------------------ the port

  async list(options: { updatedSince?: string; pageToken?: string } = {}): Promise<CrmPage> {
    await this.hooks.gate('list');
    this.hooks.enter('list');
    try {
      return copy(pageOf(this.all(), { ...options, limit: this.pageSize }));
    } catch (error) {
      if (error instanceof HttpError) throw new SyncError('invalid', 'invalid_page_token', error.message);
      throw error;
    }
  }

  async get(id: string): Promise<CrmContact | null> {
    await this.hooks.gate('get');
    this.hooks.enter('get');
    const contact = this.contacts.get(id);
    return contact ? copy(contact) : null;
  }

  async create(input: CrmContactInput, idempotencyKey: string): Promise<CrmContact> {
    await this.hooks.gate('create');
    this.hooks.enter('create');
    const earlierId = this.createdByKey.get(idempotencyKey);
    if (earlierId !== undefined) {
      const earlier = this.contacts.get(earlierId);
      if (!earlier)
        throw new SyncError('conflict', 'idempotency_key_reused', `${earlierId} was deleted since`);
      return copy(earlier);
    }
    const contact = this.insert(input);
    this.createdByKey.set(idempotencyKey, contact.id);
    this.hooks.afterWrite('create');
    return copy(contact);
  }

  async update(id: string, patch: Partial<CrmContactInput>, version: number): Promise<CrmContact> {
    await this.hooks.gate('update');
    this.hooks.enter('update');
    const contact = this.change(id, patch, version);
    this.hooks.afterWrite('update');
    return copy(contact);
  }

  async delete(id: string, version?: number): Promise<void> {
    await this.hooks.gate('delete');
    this.hooks.enter('delete');
    if (!this.contacts.has(id)) return;
    this.remove(id, version);
    this.hooks.afterWrite('delete');
  }

  async findByEmail(email: string): Promise<CrmContact[]> {
    await this.hooks.gate('findByEmail');
    this.hooks.enter('findByEmail');
    const wanted = email.trim().toLowerCase();
    return this.all()
      .filter((c) => c.emails.some((e) => e.address.trim().toLowerCase() === wanted))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }

  // ------------------------------------------------------------------ the test's side

  onChange(listener: (change: CrmChange) => void): void {
    this.listeners.push(listener);
  }

  all(): CrmContact[] {
    return [...this.contacts.values()].map(copy);
  }

  /** Ids of the contacts created with an idempotency key that starts with `prefix`. */
  createdWithKey(prefix: string): string[] {
    return [...this.createdByKey].filter(([key]) => key.startsWith(prefix)).map(([, id]) => id);
  }

  peek(id: string): CrmContact | undefined {
    const contact = this.contacts.get(id);
    return contact ? copy(contact) : undefined;
  }

  userCreate(input: Partial<CrmContactInput>): CrmContact {
    return copy(this.insert(input));
  }

  userUpdate(id: string, patch: Partial<CrmContactInput>): CrmContact {
    return copy(this.change(id, patch, undefined));
  }

  userDelete(id: string): void {
    this.remove(id, undefined);
  }

  tag(id: string, accountId: string): CrmContact {
    const current = this.required(id);
    if (current.syncAccounts.includes(accountId)) return copy(current);
    return this.userUpdate(id, { syncAccounts: [...current.syncAccounts, accountId] });
  }

  untag(id: string, accountId: string): CrmContact {
    const current = this.required(id);
    return this.userUpdate(id, { syncAccounts: current.syncAccounts.filter((a) => a !== accountId) });
  }

  // ------------------------------------------------------------------ helpers

  private insert(input: Partial<CrmContactInput>): CrmContact {
    const parsed = crmContactInputSchema.safeParse(input);
    if (!parsed.success)
      throw new SyncError('invalid', 'invalid_body', parsed.error.message, { status: 400 });
    const now = this.clock.now().toISOString();
    this.nextId += 1;
    const contact: CrmContact = {
      ...parsed.data,
      id: `c${this.nextId.toString().padStart(5, '0')}`,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.contacts.set(contact.id, contact);
    this.emit('contact.created', contact.id, contact.version);
    return contact;
  }

  private change(id: string, patch: Partial<CrmContactInput>, version: number | undefined): CrmContact {
    const current = this.required(id);
    if (version !== undefined && version !== current.version)
      throw new SyncError(
        'conflict',
        'precondition_failed',
        `${id} is at ${current.version}, not ${version}`,
        {
          status: 412,
        },
      );
    const parsed = crmContactSchema.safeParse({
      ...current,
      ...copy(patch),
      id,
      version: current.version + 1,
      updatedAt: this.clock.now().toISOString(),
    });
    if (!parsed.success)
      throw new SyncError('invalid', 'invalid_body', parsed.error.message, { status: 400 });
    this.contacts.set(id, parsed.data);
    this.emit('contact.updated', id, parsed.data.version);
    return parsed.data;
  }

  private remove(id: string, version: number | undefined): void {
    const current = this.required(id);
    if (version !== undefined && version !== current.version)
      throw new SyncError(
        'conflict',
        'precondition_failed',
        `${id} is at ${current.version}, not ${version}`,
        {
          status: 412,
        },
      );
    this.contacts.delete(id);
    this.emit('contact.deleted', id, current.version + 1);
  }

  private required(id: string): CrmContact {
    const contact = this.contacts.get(id);
    if (!contact) throw new SyncError('notFound', 'not_found', `no contact ${id}`, { status: 404 });
    return contact;
  }

  private emit(type: CrmChange['type'], contactId: string, version: number): void {
    for (const listener of this.listeners) listener({ type, contactId, version });
  }
}
