import { SyncError } from '../../../shared/errors.js';
import type { CrmMail, CrmMailInput } from '../../../shared/mail/crm-mail.js';
import type { CrmEmails, CrmMailPage } from '../../../shared/mail/ports.js';
import type { KnownCopy, MailStore, UnlinkedCopy } from '../../../shared/mail-sync/ports.js';
import type { Etag, Stored } from '../../../shared/ports.js';

/** In-memory MailStore and CrmEmails for the page tests: the same contracts as table-mail.ts and the CRM. */

export class MemoryMailStore implements MailStore {
  readonly copies = new Map<string, Map<string, KnownCopy>>();
  readonly mails = new Map<string, { mail: CrmMail; etag: string }>();
  readonly pending = new Map<string, Map<string, UnlinkedCopy>>();
  readonly owners = new Map<string, string>();
  #etag = 0;

  async knownCopies(accountId: string) {
    return new Map(this.copies.get(accountId) ?? []);
  }
  async applyCopies(
    accountId: string,
    remember: readonly { messageId: string; copy: KnownCopy }[],
    forget: readonly string[],
  ) {
    const copies = this.copies.get(accountId) ?? new Map<string, KnownCopy>();
    for (const { messageId, copy } of remember) copies.set(messageId, copy);
    for (const id of forget) copies.delete(id);
    this.copies.set(accountId, copies);
  }
  async getMail(tenantId: string, key: string): Promise<Stored<CrmMail> | null> {
    const row = this.mails.get(`${tenantId}|${key}`);
    return row ? { value: structuredClone(row.mail), etag: row.etag } : null;
  }
  async putMail(tenantId: string, mail: CrmMail, etag: Etag): Promise<string> {
    const id = `${tenantId}|${mail.key}`;
    const row = this.mails.get(id);
    if ((etag === null && row) || (etag !== null && row?.etag !== etag)) {
      throw new SyncError('conflict', 'MailChanged', 'stale');
    }
    const next = `e${++this.#etag}`;
    this.mails.set(id, { mail: structuredClone(mail), etag: next });
    return next;
  }
  async *mailsSince(): AsyncIterable<CrmMail> {}
  async rememberUnlinked(accountId: string, copies: readonly UnlinkedCopy[]) {
    const rows = this.pending.get(accountId) ?? new Map<string, UnlinkedCopy>();
    for (const copy of copies) rows.set(copy.messageId, copy);
    this.pending.set(accountId, rows);
  }
  async forgetUnlinked(accountId: string, ids: readonly string[]) {
    for (const id of ids) this.pending.get(accountId)?.delete(id);
  }
  async *unlinked(accountId: string): AsyncIterable<UnlinkedCopy> {
    yield* this.pending.get(accountId)?.values() ?? [];
  }
  async subscriptionOwner(id: string) {
    return this.owners.get(id) ?? null;
  }
  async putSubscriptionOwner(id: string, accountId: string) {
    this.owners.set(id, accountId);
  }
  async deleteSubscriptionOwner(id: string) {
    this.owners.delete(id);
  }
}

export class MemoryCrmEmails implements CrmEmails {
  readonly mails = new Map<string, CrmMail>();
  puts = 0;
  async upsert(key: string, mail: CrmMailInput) {
    this.puts++;
    const created = !this.mails.has(key);
    const stored = { key, ...structuredClone(mail) };
    this.mails.set(key, stored);
    return { mail: stored, created };
  }
  async get(key: string) {
    return this.mails.get(key) ?? null;
  }
  async listForContact(contactId: string): Promise<CrmMailPage> {
    return { items: [...this.mails.values()].filter((m) => m.contactIds.includes(contactId)) };
  }
}
