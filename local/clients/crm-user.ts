import type { CrmContact, CrmContactInput } from '../../shared/contact/crm-contact.js';

/**
 * A person using the CRM: its public contacts API with the CRM token. Every write makes the
 * CRM emit a signed event, exactly as a user's edit in the CRM would.
 */
export class CrmUser {
  constructor(private readonly options: { baseUrl: string; token: string }) {}

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(`${this.options.baseUrl}/crm/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.options.token}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`CRM ${method} ${path} failed with ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  create(input: Partial<CrmContactInput>): Promise<CrmContact> {
    return this.request('POST', '/contacts', input);
  }

  get(id: string): Promise<CrmContact> {
    return this.request('GET', `/contacts/${encodeURIComponent(id)}`);
  }

  async update(id: string, patch: Partial<CrmContactInput>): Promise<CrmContact> {
    const current = await this.get(id);
    return this.request('PATCH', `/contacts/${encodeURIComponent(id)}`, patch, {
      'if-match': `"${current.version}"`,
    });
  }

  delete(id: string): Promise<void> {
    return this.request('DELETE', `/contacts/${encodeURIComponent(id)}`);
  }

  async all(): Promise<CrmContact[]> {
    const items: CrmContact[] = [];
    let token: string | undefined;
    do {
      const page = await this.request<{ items: CrmContact[]; nextPageToken?: string }>(
        'GET',
        `/contacts${token ? `?pageToken=${encodeURIComponent(token)}` : ''}`,
      );
      items.push(...page.items);
      token = page.nextPageToken;
    } while (token);
    return items;
  }
}
