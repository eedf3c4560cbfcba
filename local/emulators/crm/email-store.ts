import type { CrmMail, CrmMailInput } from '../../../shared/mail/crm-mail.js';
import { HttpError } from './http.js';

/**
 * The CRM's e-mails (issue 17, item 3), in memory: one per key, indexed by contact so a
 * contact's e-mails are listed without a scan. A PUT replaces the whole e-mail (upsert); the
 * e-mails stay when a contact is deleted, as a CRM keeps its history.
 */

export interface EmailQuery {
  pageToken?: string | undefined;
  limit: number;
}

interface Cursor {
  at: string;
  key: string;
}

/** The instant an e-mail is sorted by: received, else sent; '' (sorted last) without either. */
const sortAt = (mail: CrmMail): string => mail.receivedAt ?? mail.sentAt ?? '';
const millis = (at: string): number => (at === '' ? Number.NEGATIVE_INFINITY : Date.parse(at));

/** Newest first; equal instants by key, so pages never overlap. */
function compare(a: Cursor, b: Cursor): number {
  const at = millis(b.at) - millis(a.at);
  if (at !== 0 && !Number.isNaN(at)) return at;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const cursorOf = (mail: CrmMail): Cursor => ({ at: sortAt(mail), key: mail.key });
const newestFirst = (a: CrmMail, b: CrmMail): number => compare(cursorOf(a), cursorOf(b));

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.key]), 'utf8').toString('base64url');
}

function decode(token: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return { at: value[0] as string, key: value[1] as string };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new HttpError(400, 'invalid_page_token', 'The pageToken was not issued by this server');
}

export class EmailStore {
  private readonly emails = new Map<string, CrmMail>();
  private readonly byContact = new Map<string, Set<string>>();

  reset(): void {
    this.emails.clear();
    this.byContact.clear();
  }

  all(): CrmMail[] {
    return [...this.emails.values()].sort(newestFirst);
  }

  get(key: string): CrmMail {
    const mail = this.emails.get(key);
    if (!mail) throw new HttpError(404, 'not_found', `No e-mail with key ${JSON.stringify(key)}`);
    return mail;
  }

  /** Creates or replaces; `created` tells which. */
  put(key: string, input: CrmMailInput): { mail: CrmMail; created: boolean } {
    const previous = this.emails.get(key);
    if (previous) this.unindex(previous);
    const mail: CrmMail = { key, ...input };
    this.emails.set(key, mail);
    for (const contactId of mail.contactIds) {
      const keys = this.byContact.get(contactId) ?? new Set<string>();
      keys.add(key);
      this.byContact.set(contactId, keys);
    }
    return { mail, created: previous === undefined };
  }

  /** Gone from the CRM (its users, a restore from an older backup): false when it was not there. */
  remove(key: string): boolean {
    const mail = this.emails.get(key);
    if (!mail) return false;
    this.unindex(mail);
    return this.emails.delete(key);
  }

  forContact(contactId: string, query: EmailQuery): { items: CrmMail[]; nextPageToken?: string } {
    const cursor = query.pageToken === undefined ? undefined : decode(query.pageToken);
    const after = (mail: CrmMail) => cursor === undefined || compare(cursorOf(mail), cursor) > 0;
    const matching = [...(this.byContact.get(contactId) ?? [])]
      .map((key) => this.get(key))
      .filter(after)
      .sort(newestFirst);
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    return last && matching.length > items.length
      ? { items, nextPageToken: encode(cursorOf(last)) }
      : { items };
  }

  private unindex(mail: CrmMail): void {
    for (const contactId of mail.contactIds) {
      const keys = this.byContact.get(contactId);
      keys?.delete(mail.key);
      if (keys?.size === 0) this.byContact.delete(contactId);
    }
  }
}
