import { type ContactIndex, contactIndexOf } from '../mail/link.js';
import type { Clock, CrmContacts } from '../ports.js';

/**
 * Every e-mail address of the CRM's contacts, for linking (shared/mail/link.ts), kept in the
 * process: read whole once, then brought up to date before every mail round with the
 * contacts changed since (`updatedSince`, one CRM request), so a contact created a moment ago
 * links the next mail. Deleted contacts do not come in an `updatedSince` page: a full read
 * every `fullEveryMs` (default 10 minutes) drops them, and `invalidate()` forces one (the CRM
 * refused an e-mail naming a contact it no longer has).
 */
const OVERLAP_MS = 5_000;

export interface IndexedContact {
  id: string;
  emails: readonly { address: string }[];
}

export class CrmContactIndex {
  #contacts = new Map<string, IndexedContact>();
  #index: ContactIndex = new Map();
  #fullAt: number | null = null;
  #since: string | null = null;
  /** The index each account last looked at (`changesFor`). */
  readonly #indexSeenBy = new Map<string, ContactIndex>();

  constructor(
    private readonly crm: Pick<CrmContacts, 'list'>,
    private readonly clock: Clock,
    private readonly fullEveryMs = 10 * 60_000,
  ) {}

  invalidate(): void {
    this.#fullAt = null;
  }

  /**
   * What changed in the index since this account last asked: null when nothing did, `all`
   * on its first look in this process (nothing to compare with), else the addresses whose
   * contacts differ (gained, lost or moved to another contact). A contact edit that changes no
   * address changes nothing here.
   */
  changesFor(accountId: string): Set<string> | 'all' | null {
    const seen = this.#indexSeenBy.get(accountId);
    this.#indexSeenBy.set(accountId, this.#index);
    if (seen === undefined) return 'all';
    if (seen === this.#index) return null;
    const changed = new Set<string>();
    for (const [address, ids] of this.#index) {
      const before = seen.get(address);
      if (!before || before.length !== ids.length || before.some((id, i) => ids[i] !== id))
        changed.add(address);
    }
    for (const address of seen.keys()) if (!this.#index.has(address)) changed.add(address);
    return changed.size === 0 ? null : changed;
  }

  /** The current index, and the contacts that changed since the last call (none on a full read). */
  async refresh(): Promise<{ index: ContactIndex; changed: IndexedContact[] }> {
    const now = this.clock.now().getTime();
    const started = new Date(now - OVERLAP_MS).toISOString();
    if (this.#fullAt === null || now - this.#fullAt >= this.fullEveryMs || this.#since === null) {
      const all = new Map<string, IndexedContact>();
      for await (const contact of this.pages()) all.set(contact.id, contact);
      this.#contacts = all;
      this.#fullAt = now;
      this.#since = started;
      this.#index = contactIndexOf([...all.values()]);
      return { index: this.#index, changed: [] };
    }
    const changed: IndexedContact[] = [];
    for await (const contact of this.pages(this.#since)) {
      changed.push(contact);
      this.#contacts.set(contact.id, contact);
    }
    this.#since = started;
    if (changed.length > 0) {
      this.#index = contactIndexOf([...this.#contacts.values()]);
    }
    return { index: this.#index, changed };
  }

  private async *pages(updatedSince?: string): AsyncIterable<IndexedContact> {
    let pageToken: string | undefined;
    do {
      const page = await this.crm.list({
        ...(updatedSince ? { updatedSince } : {}),
        ...(pageToken ? { pageToken } : {}),
      });
      for (const contact of page.items) yield { id: contact.id, emails: contact.emails };
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
}
