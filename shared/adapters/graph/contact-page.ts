import { z } from 'zod';
import { type ExchangeContact, graphContactSchema } from '../../contact/exchange-contact.js';
import { firstIssue } from './graph-call.js';

/**
 * A page of Graph contacts (list or delta), validated item by item: one malformed contact is
 * skipped with its reason instead of failing the whole round, and `@removed` entries become
 * ids to delete (reason "deleted" or "changed" — either way the item left this folder's view).
 */
export const contactPageSchema = z
  .object({
    value: z.array(z.unknown()),
    '@odata.nextLink': z.string().min(1).optional(),
    '@odata.deltaLink': z.string().min(1).optional(),
  })
  .loose();

export interface SkippedItem {
  id: string | null;
  reason: string;
}

export interface ParsedContacts {
  upserts: ExchangeContact[];
  removedIds: string[];
  skipped: SkippedItem[];
}

const removedSchema = z.object({ id: z.string().min(1), '@removed': z.object({}).loose() });

/**
 * The same item may come more than once, on one page or across pages and rounds ("the same
 * resource may be returned more than once", learn.microsoft.com/graph/delta-query-overview).
 * Items come in change order, so within a page the last mention of an id is its state: an id
 * is either an upsert (its newest version) or removed, never both.
 */
export function parseContactItems(items: unknown[]): ParsedContacts {
  const last = new Map<string, { removed: true } | { removed: false; contact: ExchangeContact }>();
  const skipped: SkippedItem[] = [];
  for (const item of items) {
    const removed = removedSchema.safeParse(item);
    if (removed.success) {
      last.delete(removed.data.id);
      last.set(removed.data.id, { removed: true });
      continue;
    }
    const contact = graphContactSchema.safeParse(item);
    if (contact.success) {
      last.delete(contact.data.id);
      last.set(contact.data.id, { removed: false, contact: contact.data });
    } else skipped.push({ id: idOf(item), reason: firstIssue(contact.error) });
  }
  const parsed: ParsedContacts = { upserts: [], removedIds: [], skipped };
  for (const [id, state] of last) {
    if (state.removed) parsed.removedIds.push(id);
    else parsed.upserts.push(state.contact);
  }
  return parsed;
}

function idOf(item: unknown): string | null {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
