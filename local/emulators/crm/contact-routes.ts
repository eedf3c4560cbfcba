import { z } from 'zod';
import { type CrmContactInput, crmContactInputSchema } from '../../../shared/contact/crm-contact.js';
import { HttpError, parseBody, parseJson, type Reply, type Request, validate } from './http.js';
import type { Route } from './router.js';
import type { ContactStore } from './store.js';

/**
 * The CRM API (DESIGN section 7) plus two extensions the sync needs:
 * - `GET /crm/v1/contacts?email=…` finds contacts by any e-mail address (case-insensitive),
 *   for matching before a first create; it answers `{ items }` without paging.
 * - `POST /crm/v1/contacts` honours `Idempotency-Key`: a repeated key answers 200 with the
 *   contact the first request created (header `idempotent-replayed: true`) instead of creating
 *   another, so a create retried after a crash never duplicates. The body is not compared.
 */

const listQuerySchema = z
  .object({
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    pageToken: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const idempotencyKeySchema = z.string().min(1).max(200);

/** A PATCH merges top-level fields: only the fields present in the body are written. */
export function parsePatch(request: Request): Partial<CrmContactInput> {
  const raw = parseJson(request);
  const parsed = validate(crmContactInputSchema.partial(), raw);
  // The input schema fills defaults for missing fields; a merge must only touch the sent ones.
  const sent = new Set(Object.keys(raw as object));
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => sent.has(key)));
}

/** `If-Match: "3"` (or `W/"3"`, or `*` for "any version") → 3 / undefined. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match?.[1]) throw new HttpError(400, 'invalid_if_match', 'If-Match must be an ETag like "3"');
  return Number(match[1]);
}

function contactReply(
  status: number,
  contact: { version: number },
  headers: Record<string, string> = {},
): Reply {
  return { status, body: contact, headers: { etag: `"${contact.version}"`, ...headers } };
}

export function contactRoutes(store: ContactStore): Route[] {
  const collection = '/crm/v1/contacts';
  const item = '/crm/v1/contacts/{id}';
  return [
    {
      method: 'GET',
      template: collection,
      handler: (request) => {
        const email = request.query.get('email');
        if (email !== null) return { status: 200, body: { items: store.findByEmail(email) } };
        const query = validate(listQuerySchema, Object.fromEntries(request.query), 'invalid_query');
        return { status: 200, body: store.list(query) };
      },
    },
    {
      method: 'GET',
      template: item,
      handler: (request) => contactReply(200, store.get(request.params.id ?? '')),
    },
    {
      method: 'POST',
      template: collection,
      handler: (request) => {
        const keyHeader = request.header('idempotency-key');
        const key =
          keyHeader === undefined
            ? undefined
            : validate(idempotencyKeySchema, keyHeader, 'invalid_idempotency_key');
        const input = parseBody(request, crmContactInputSchema);
        const { contact, replayed } = store.create(input, key);
        return replayed
          ? contactReply(200, contact, { 'idempotent-replayed': 'true' })
          : contactReply(201, contact, { location: `${collection}/${encodeURIComponent(contact.id)}` });
      },
    },
    {
      method: 'PATCH',
      template: item,
      handler: (request) => {
        const expected = parseIfMatch(request.header('if-match'));
        const patch = parsePatch(request);
        return contactReply(200, store.update(request.params.id ?? '', patch, expected));
      },
    },
    {
      method: 'DELETE',
      template: item,
      handler: (request) => {
        store.remove(request.params.id ?? '', parseIfMatch(request.header('if-match')));
        return { status: 204 };
      },
    },
  ];
}
