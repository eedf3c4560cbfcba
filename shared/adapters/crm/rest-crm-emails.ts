import { z } from 'zod';
import { type CrmMail, type CrmMailInput, crmMailSchema } from '../../mail/crm-mail.js';
import type { CrmEmails, CrmMailPage } from '../../mail/ports.js';
import { type CallName, invalidResponseError } from './crm-errors.js';
import { CrmHttp, type CrmResponse, defaultSleep } from './crm-http.js';
import type { RestCrmContactsOptions } from './rest-crm-contacts.js';

/**
 * The CrmEmails port over the CRM REST API's e-mail extension (issue 17, item 3; README
 * "Extensions to the CRM contract"). PUT is an upsert by key, so a retry after a lost answer
 * writes the same e-mail again and nothing twice. Every answer is validated with the e-mail
 * schema; failures are SyncErrors (the same mapping as for contacts).
 */

export type RestCrmEmailsOptions = RestCrmContactsOptions;

const ITEM = '/crm/v1/emails/{key}';
const FOR_CONTACT = '/crm/v1/contacts/{id}/emails';

const pageSchema = z.object({
  items: z.array(crmMailSchema),
  nextPageToken: z.string().min(1).optional(),
});

export class RestCrmEmails implements CrmEmails {
  private readonly http: CrmHttp;

  constructor(options: RestCrmEmailsOptions) {
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

  async upsert(key: string, mail: CrmMailInput): Promise<{ mail: CrmMail; created: boolean }> {
    const call = { method: 'PUT', route: ITEM };
    const response = await this.http.send({ ...call, path: itemPath(key), body: mail });
    return { mail: parsed(call, response, crmMailSchema), created: response.status === 201 };
  }

  async get(key: string): Promise<CrmMail | null> {
    const call = { method: 'GET', route: ITEM };
    const response = await this.http.send({ ...call, path: itemPath(key), accept: [404] });
    return response.status === 404 ? null : parsed(call, response, crmMailSchema);
  }

  async listForContact(
    contactId: string,
    options: { pageToken?: string; limit?: number } = {},
  ): Promise<CrmMailPage> {
    const call = { method: 'GET', route: FOR_CONTACT };
    const response = await this.http.send({
      ...call,
      path: `/crm/v1/contacts/${encodeURIComponent(contactId)}/emails`,
      query: { pageToken: options.pageToken, limit: options.limit?.toString() },
    });
    const page = parsed(call, response, pageSchema);
    return page.nextPageToken === undefined ? { items: page.items } : page;
  }
}

const itemPath = (key: string) => `/crm/v1/emails/${encodeURIComponent(key)}`;

function parsed<S extends z.ZodType>(call: CallName, response: CrmResponse, schema: S): z.output<S> {
  const result = schema.safeParse(response.body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const reason = first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid';
  throw invalidResponseError(call, response.status, reason);
}
