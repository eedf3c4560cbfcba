import { SyncError } from '../../../shared/errors.js';
import { type CrmMail, type CrmMailInput, crmMailInputSchema } from '../../../shared/mail/crm-mail.js';
import type { CrmEmails, CrmMailPage } from '../../../shared/mail/ports.js';
import type { KnownCopy, MailStore, UnlinkedCopy } from '../../../shared/mail-sync/ports.js';
import type { Clock, CrmContacts, Etag, Stored } from '../../../shared/ports.js';

/**
 * The mail model's stores: our mail table, the CRM's e-mails and contacts, in memory with the
 * contracts of table-mail.ts and the CRM emulator (the e-mail validated as the CRM validates
 * it), and the crash points the model arms: a worker dies just before or just after a write.
 */

export type CrashPoint =
  | 'putMail:after'
  | 'crmUpsert:before'
  | 'crmUpsert:after'
  | 'applyCopies:before'
  | 'applyCopies:after'
  | 'accountPut:after';

export const CRASH_POINTS: readonly CrashPoint[] = [
  'putMail:after',
  'crmUpsert:before',
  'crmUpsert:after',
  'applyCopies:before',
  'applyCopies:after',
  'accountPut:after',
];

export class Crash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`simulated crash at ${point}`);
  }
}

export class Crashes {
  readonly armed = new Set<CrashPoint>();
  fired = 0;
  at(point: CrashPoint): void {
    if (!this.armed.delete(point)) return;
    this.fired++;
    throw new Crash(point);
  }
}

const clone = <T>(value: T): T => structuredClone(value);

export class ModelMailStore implements MailStore {
  readonly copies = new Map<string, Map<string, KnownCopy>>();
  readonly mails = new Map<string, { mail: CrmMail; etag: string }>();
  readonly pending = new Map<string, Map<string, UnlinkedCopy>>();
  readonly owners = new Map<string, string>();
  reads = 0;
  #etag = 0;

  constructor(private readonly crashes: Crashes) {}

  async knownCopies(accountId: string) {
    this.reads++;
    return new Map([...(this.copies.get(accountId) ?? [])].map(([id, copy]) => [id, { ...copy }]));
  }
  async applyCopies(
    accountId: string,
    remember: readonly { messageId: string; copy: KnownCopy }[],
    forget: readonly string[],
  ) {
    this.crashes.at('applyCopies:before');
    const copies = this.copies.get(accountId) ?? new Map<string, KnownCopy>();
    for (const { messageId, copy } of remember) copies.set(messageId, { ...copy });
    for (const id of forget) copies.delete(id);
    this.copies.set(accountId, copies);
    this.crashes.at('applyCopies:after');
  }
  async getMail(tenantId: string, key: string): Promise<Stored<CrmMail> | null> {
    const row = this.mails.get(`${tenantId}|${key}`);
    return row ? { value: clone(row.mail), etag: row.etag } : null;
  }
  async putMail(tenantId: string, mail: CrmMail, etag: Etag): Promise<string> {
    const id = `${tenantId}|${mail.key}`;
    const row = this.mails.get(id);
    if ((etag === null && row) || (etag !== null && row?.etag !== etag)) {
      throw new SyncError('conflict', 'MailChanged', 'stale');
    }
    const next = `e${++this.#etag}`;
    this.mails.set(id, { mail: clone(mail), etag: next });
    this.crashes.at('putMail:after');
    return next;
  }
  async *mailsSince(tenantId: string, since: Date): AsyncIterable<CrmMail> {
    for (const [id, row] of [...this.mails]) {
      if (!id.startsWith(`${tenantId}|`)) continue;
      if (row.mail.receivedAt !== null && Date.parse(row.mail.receivedAt) < since.getTime()) continue;
      yield clone(row.mail);
    }
  }
  async rememberUnlinked(accountId: string, copies: readonly UnlinkedCopy[]) {
    const rows = this.pending.get(accountId) ?? new Map<string, UnlinkedCopy>();
    for (const copy of copies) rows.set(copy.messageId, clone(copy));
    this.pending.set(accountId, rows);
  }
  async forgetUnlinked(accountId: string, ids: readonly string[]) {
    for (const id of ids) this.pending.get(accountId)?.delete(id);
  }
  async *unlinked(accountId: string): AsyncIterable<UnlinkedCopy> {
    this.reads++;
    for (const copy of [...(this.pending.get(accountId)?.values() ?? [])]) yield clone(copy);
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

/**
 * The same store seen by another process: its own object, so its own copy cache
 * (shared/mail-sync/copy-cache.ts keys caches by store).
 */
export function processView(store: MailStore): MailStore {
  return {
    knownCopies: (a) => store.knownCopies(a),
    applyCopies: (a, r, f) => store.applyCopies(a, r, f),
    getMail: (t, k) => store.getMail(t, k),
    putMail: (t, m, e) => store.putMail(t, m, e),
    mailsSince: (t, s) => store.mailsSince(t, s),
    rememberUnlinked: (a, c) => store.rememberUnlinked(a, c),
    forgetUnlinked: (a, i) => store.forgetUnlinked(a, i),
    unlinked: (a) => store.unlinked(a),
    subscriptionOwner: (s) => store.subscriptionOwner(s),
    putSubscriptionOwner: (s, a) => store.putSubscriptionOwner(s, a),
    deleteSubscriptionOwner: (s) => store.deleteSubscriptionOwner(s),
  };
}

interface ModelContact {
  id: string;
  emails: { address: string; type: null }[];
  updatedAt: string;
}

/** The CRM: its e-mails (validated as the CRM validates them) and the contacts the linking reads. */
export class ModelCrm implements CrmEmails {
  readonly mails = new Map<string, CrmMail>();
  readonly contacts = new Map<string, ModelContact>();
  upserts = 0;

  constructor(
    private readonly crashes: Crashes,
    private readonly clock: Clock,
  ) {}

  addContact(id: string, address: string): void {
    this.contacts.set(id, {
      id,
      emails: [{ address, type: null }],
      updatedAt: this.clock.now().toISOString(),
    });
  }

  addAddress(id: string, address: string): void {
    const contact = this.contacts.get(id);
    if (!contact || contact.emails.some((e) => e.address === address)) return;
    contact.emails.push({ address, type: null });
    contact.updatedAt = this.clock.now().toISOString();
  }

  async upsert(key: string, mail: CrmMailInput) {
    this.crashes.at('crmUpsert:before');
    const parsed = crmMailInputSchema.safeParse(mail);
    if (!parsed.success) throw new SyncError('invalid', 'invalid_email', parsed.error.message);
    for (const id of parsed.data.contactIds) {
      if (!this.contacts.has(id)) throw new SyncError('invalid', 'unknown_contact', id);
    }
    this.upserts++;
    const created = !this.mails.has(key);
    const stored = { key, ...clone(parsed.data) };
    this.mails.set(key, stored);
    this.crashes.at('crmUpsert:after');
    return { mail: clone(stored), created };
  }
  async get(key: string) {
    const mail = this.mails.get(key);
    return mail ? clone(mail) : null;
  }
  async listForContact(contactId: string): Promise<CrmMailPage> {
    return { items: [...this.mails.values()].filter((m) => m.contactIds.includes(contactId)).map(clone) };
  }

  /** The contact list the mail sync's index reads (`CrmContacts.list`; nothing else is used). */
  contactsPort(): CrmContacts {
    const list: CrmContacts['list'] = async (options) => {
      const since = options?.updatedSince ? Date.parse(options.updatedSince) : Number.NEGATIVE_INFINITY;
      const items = [...this.contacts.values()]
        .filter((c) => Date.parse(c.updatedAt) >= since)
        .map((c) => ({ id: c.id, emails: clone(c.emails) }));
      return { items } as unknown as Awaited<ReturnType<CrmContacts['list']>>;
    };
    return new Proxy({ list } as unknown as CrmContacts, {
      get(_target, prop) {
        if (prop === 'list') return list;
        if (prop === 'then') return undefined;
        return () => {
          throw new Error(`the mail model's CRM has no contacts.${String(prop)}`);
        };
      },
    });
  }
}
