import type { CrmContact } from '../../../shared/contact/crm-contact.js';
import { HttpError } from './http.js';

/**
 * Paging of `GET /crm/v1/contacts`: contacts sorted by (updatedAt, id); a page token is the
 * position after the last item served, not an offset, so it stays valid while contacts
 * change. A contact updated during a walk moves behind the cursor and is served again
 * (at-least-once), never skipped. `updatedSince` is inclusive for the same reason.
 */

export interface ListQuery {
  updatedSince?: string | undefined;
  pageToken?: string | undefined;
  limit: number;
}

interface Cursor {
  updatedAt: string;
  id: string;
}

export function encodePageToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt, cursor.id]), 'utf8').toString('base64url');
}

export function decodePageToken(token: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return { updatedAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new HttpError(400, 'invalid_page_token', 'The pageToken was not issued by this server');
}

function after(contact: CrmContact, cursor: Cursor): boolean {
  if (contact.updatedAt !== cursor.updatedAt) return contact.updatedAt > cursor.updatedAt;
  return contact.id > cursor.id;
}

function byUpdatedThenId(a: CrmContact, b: CrmContact): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function pageOf(
  contacts: readonly CrmContact[],
  query: ListQuery,
): { items: CrmContact[]; nextPageToken?: string } {
  const since = query.updatedSince === undefined ? undefined : Date.parse(query.updatedSince);
  const cursor = query.pageToken === undefined ? undefined : decodePageToken(query.pageToken);
  const matching = contacts
    .filter((contact) => since === undefined || Date.parse(contact.updatedAt) >= since)
    .filter((contact) => cursor === undefined || after(contact, cursor))
    .sort(byUpdatedThenId);
  const items = matching.slice(0, query.limit);
  const last = items.at(-1);
  return last && matching.length > items.length ? { items, nextPageToken: encodePageToken(last) } : { items };
}
