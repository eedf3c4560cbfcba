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

export function parseContactItems(items: unknown[]): ParsedContacts {
  const parsed: ParsedContacts = { upserts: [], removedIds: [], skipped: [] };
  for (const item of items) {
    const removed = removedSchema.safeParse(item);
    if (removed.success) {
      parsed.removedIds.push(removed.data.id);
      continue;
    }
    const contact = graphContactSchema.safeParse(item);
    if (contact.success) parsed.upserts.push(contact.data);
    else parsed.skipped.push({ id: idOf(item), reason: firstIssue(contact.error) });
  }
  return parsed;
}

function idOf(item: unknown): string | null {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
