import { z } from 'zod';
import { type CrmContact, type CrmContactInput, crmContactSchema } from '../../contact/crm-contact.js';
import type { CrmContacts, CrmPage } from '../../ports.js';
import type { CallName } from './crm-errors.js';
import { invalidResponseError } from './crm-errors.js';
import { CrmHttp, type CrmResponse, defaultSleep } from './crm-http.js';

/**
 * The CrmContacts port over the CRM REST API (DESIGN section 7). Every response is validated
 * with the contact schemas; failures are SyncErrors (412 → `conflict`).
 */

export interface RestCrmContactsOptions {
  baseUrl: string;
  token: string;
  /** Per attempt. Default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 5xx and 429. Default 4. */
  retries?: number;
  /** First backoff step; doubles per retry up to `retryMaxMs`. Defaults 500 / 30 000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<unknown>;
}

const COLLECTION = '/crm/v1/contacts';
const ITEM = '/crm/v1/contacts/{id}';

const pageSchema = z.object({
  items: z.array(crmContactSchema),
  nextPageToken: z.string().min(1).optional(),
});
const searchSchema = z.object({ items: z.array(crmContactSchema) });

const itemPath = (id: string) => `${COLLECTION}/${encodeURIComponent(id)}`;
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export class RestCrmContacts implements CrmContacts {
  private readonly http: CrmHttp;

  constructor(options: RestCrmContactsOptions) {
    this.http = new CrmHttp({
      baseUrl: options.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 4,
      backoff: { baseMs: options.retryBaseMs ?? 500, maxMs: options.retryMaxMs ?? 30_000 },
      fetch: options.fetch ?? globalThis.fetch,
      sleep: options.sleep ?? defaultSleep,
    });
  }

  async list(options: { updatedSince?: string; pageToken?: string } = {}): Promise<CrmPage> {
    const call = { method: 'GET', route: COLLECTION };
    const response = await this.http.send({ ...call, path: COLLECTION, query: { ...options } });
    const page = parsed(call, response, pageSchema);
    return page.nextPageToken === undefined ? { items: page.items } : page;
  }

  async get(id: string): Promise<CrmContact | null> {
    const call = { method: 'GET', route: ITEM };
    const response = await this.http.send({ ...call, path: itemPath(id), accept: [404] });
    return response.status === 404 ? null : parsed(call, response, crmContactSchema);
  }

  async create(input: CrmContactInput, idempotencyKey: string): Promise<CrmContact> {
    const call = { method: 'POST', route: COLLECTION };
    const headers = { 'idempotency-key': idempotencyKey };
    const response = await this.http.send({ ...call, path: COLLECTION, body: input, headers });
    return parsed(call, response, crmContactSchema);
  }

  async update(id: string, patch: Partial<CrmContactInput>, version: number): Promise<CrmContact> {
    const call = { method: 'PATCH', route: ITEM };
    const response = await this.http.send({
      ...call,
      path: itemPath(id),
      body: patch,
      headers: ifMatch(version),
    });
    return parsed(call, response, crmContactSchema);
  }

  async delete(id: string, version?: number): Promise<void> {
    const call = { method: 'DELETE', route: ITEM };
    const headers = version === undefined ? {} : ifMatch(version);
    // 404 is success: the contact is gone, perhaps by an earlier attempt of this very call.
    await this.http.send({ ...call, path: itemPath(id), headers, accept: [404] });
  }

  async findByEmail(email: string): Promise<CrmContact[]> {
    const call = { method: 'GET', route: `${COLLECTION}?email` };
    const response = await this.http.send({ ...call, path: COLLECTION, query: { email } });
    return parsed(call, response, searchSchema).items;
  }
}

function parsed<S extends z.ZodType>(call: CallName, response: CrmResponse, schema: S): z.output<S> {
  const result = schema.safeParse(response.body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const reason = first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid';
  throw invalidResponseError(call, response.status, reason);
}
