import { z } from 'zod';
import { crmMailInputSchema } from '../../../shared/mail/crm-mail.js';
import type { EmailStore } from './email-store.js';
import { HttpError, parseJson, validate } from './http.js';
import type { Route } from './router.js';
import type { ContactStore } from './store.js';

/**
 * The CRM contract's e-mail extension (issue 17, item 3; README "Extensions to the CRM contract"):
 *   PUT /crm/v1/emails/{key}          upsert → 201 (created) | 200 (replaced) Email
 *   GET /crm/v1/emails/{key}          → Email | 404
 *   GET /crm/v1/contacts/{id}/emails  → { items, nextPageToken? } newest first | 404 unknown contact
 * Auth, faults, the request log and the error shape come from server.ts, as for contacts.
 */

/** Keys are opaque to the CRM; URL-safe and bounded so they can name a resource. */
const keySchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'a key is 1–200 characters of A–Z a–z 0–9 _ -');

const listQuerySchema = z
  .object({
    pageToken: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

function exists(contacts: ContactStore, id: string): boolean {
  try {
    contacts.get(id);
    return true;
  } catch {
    return false;
  }
}

export function emailRoutes(emails: EmailStore, contacts: ContactStore): Route[] {
  return [
    {
      method: 'PUT',
      template: '/crm/v1/emails/{key}',
      handler: (request) => {
        const key = validate(keySchema, request.params.key ?? '', 'invalid_key');
        const raw = parseJson(request);
        // A client may send back what it read, key included; it must name the same e-mail.
        let body = raw;
        if (typeof raw === 'object' && raw !== null && 'key' in raw) {
          const { key: bodyKey, ...rest } = raw as Record<string, unknown>;
          if (bodyKey !== key)
            throw new HttpError(400, 'key_mismatch', 'The body names another key than the path');
          body = rest;
        }
        const input = validate(crmMailInputSchema, body);
        const unknown = input.contactIds.filter((id) => !exists(contacts, id));
        if (unknown.length > 0) {
          throw new HttpError(
            422,
            'unknown_contact',
            `No contact with id ${unknown.map((id) => JSON.stringify(id)).join(', ')}`,
          );
        }
        const { mail, created } = emails.put(key, input);
        return created
          ? { status: 201, body: mail, headers: { location: `/crm/v1/emails/${encodeURIComponent(key)}` } }
          : { status: 200, body: mail };
      },
    },
    {
      method: 'GET',
      template: '/crm/v1/emails/{key}',
      handler: (request) => ({ status: 200, body: emails.get(request.params.key ?? '') }),
    },
    {
      method: 'GET',
      template: '/crm/v1/contacts/{id}/emails',
      handler: (request) => {
        const id = request.params.id ?? '';
        contacts.get(id); // 404 for a contact the CRM does not have
        const query = validate(listQuerySchema, Object.fromEntries(request.query), 'invalid_query');
        return { status: 200, body: emails.forContact(id, query) };
      },
    },
  ];
}

/** `GET /_emulator/emails`: every e-mail, newest first, for assertions. */
export function emailAdminRoutes(emails: EmailStore): Route[] {
  return [
    {
      method: 'GET',
      template: '/_emulator/emails',
      handler: () => ({ status: 200, body: { items: emails.all() } }),
    },
    {
      // What the product cannot prevent: an e-mail lost in the CRM (deleted by a user, an old
      // backup restored). The mail reconcile puts it back.
      method: 'DELETE',
      template: '/_emulator/emails/{key}',
      handler: (request) =>
        emails.remove(request.params.key ?? '')
          ? { status: 204 }
          : { status: 404, body: { error: { code: 'not_found', message: 'no such e-mail' } } },
    },
  ];
}
