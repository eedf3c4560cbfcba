/**
 * A person using Outlook, as seen by Graph: a small client of the Graph emulator's public
 * API (client-credentials token, then plain REST). The demo seeds with it and the end-to-end
 * tests act through it, so every change takes the same path a real Outlook change takes.
 */
export interface OutlookUserOptions {
  graphUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** A contact as the admin routes answer it: Graph's view plus the immutable id. */
export interface OutlookContact extends Record<string, unknown> {
  id: string;
  immutableId: string;
  changeKey: string;
  parentFolderId: string;
}

export class OutlookUser {
  #token: string | null = null;

  constructor(private readonly options: OutlookUserOptions) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(`${this.options.graphUrl}/v1.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Outlook ${method} ${path} failed with ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createFolder(mailbox: string, displayName: string): Promise<{ id: string }> {
    return this.request('POST', `/users/${encodeURIComponent(mailbox)}/contactFolders`, { displayName });
  }

  createContact(
    mailbox: string,
    contact: Record<string, unknown>,
    folderId?: string,
  ): Promise<{ id: string; changeKey: string }> {
    const path = folderId
      ? `/users/${encodeURIComponent(mailbox)}/contactFolders/${encodeURIComponent(folderId)}/contacts`
      : `/users/${encodeURIComponent(mailbox)}/contacts`;
    return this.request('POST', path, contact);
  }

  /** Creates many contacts with $batch (20 per request), as a bulk import in Outlook would. */
  async createContacts(
    mailbox: string,
    contacts: Record<string, unknown>[],
    folderId?: string,
  ): Promise<void> {
    const url = folderId
      ? `/users/${encodeURIComponent(mailbox)}/contactFolders/${encodeURIComponent(folderId)}/contacts`
      : `/users/${encodeURIComponent(mailbox)}/contacts`;
    for (let i = 0; i < contacts.length; i += 20) {
      const requests = contacts.slice(i, i + 20).map((body, n) => ({
        id: String(n + 1),
        method: 'POST',
        url,
        body,
        headers: { 'content-type': 'application/json' },
      }));
      const result = await this.request<{ responses: { status: number; body?: unknown }[] }>(
        'POST',
        '/$batch',
        { requests },
      );
      const failed = result.responses.filter((r) => r.status >= 300);
      if (failed.length > 0)
        throw new Error(
          `Outlook bulk create: ${failed.length} failed, e.g. ${JSON.stringify(failed[0]).slice(0, 300)}`,
        );
    }
  }

  updateContact(
    mailbox: string,
    id: string,
    patch: Record<string, unknown>,
  ): Promise<{ id: string; changeKey: string }> {
    return this.request(
      'PATCH',
      `/users/${encodeURIComponent(mailbox)}/contacts/${encodeURIComponent(id)}`,
      patch,
    );
  }

  deleteContact(mailbox: string, id: string): Promise<void> {
    return this.request('DELETE', `/users/${encodeURIComponent(mailbox)}/contacts/${encodeURIComponent(id)}`);
  }

  getContact(mailbox: string, id: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/users/${encodeURIComponent(mailbox)}/contacts/${encodeURIComponent(id)}`);
  }

  /**
   * What only the person can do in Outlook, through the emulator's admin routes
   * (`/_emulator/users/{user}/…`): moves, deletes to Deleted Items and restores, folder
   * deletes, and edits that store a birthday as Outlook does (local midnight of the mailbox's
   * time zone, in UTC). Answers carry the regular `id` and the `immutableId`.
   */
  async asOutlook<T = unknown>(method: string, mailbox: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(
      `${this.options.graphUrl}/_emulator/users/${encodeURIComponent(mailbox)}${path}`,
      {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    );
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Outlook user ${method} ${path} failed with ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Drags a contact into another folder (`destinationId`: a folder id, `contacts` or `deleteditems`). */
  moveContact(mailbox: string, id: string, destinationId: string): Promise<OutlookContact> {
    return this.asOutlook('POST', mailbox, `/contacts/${encodeURIComponent(id)}/move`, { destinationId });
  }

  /** Deletes in Outlook: the contact goes to Deleted Items (from there it is gone for good). */
  deleteInOutlook(mailbox: string, id: string): Promise<void> {
    return this.asOutlook('DELETE', mailbox, `/contacts/${encodeURIComponent(id)}`);
  }

  /** The contacts in Deleted Items. */
  async deletedItems(mailbox: string): Promise<OutlookContact[]> {
    return (await this.asOutlook<{ value: OutlookContact[] }>('GET', mailbox, '/deletedItems')).value;
  }

  /** Moves a contact out of Deleted Items back into a contact folder (it gets a new regular id). */
  restoreContact(mailbox: string, id: string, destinationId = 'contacts'): Promise<OutlookContact> {
    return this.moveContact(mailbox, id, destinationId);
  }

  /** Deletes a contact folder with everything in it. */
  deleteFolder(mailbox: string, folderId: string): Promise<void> {
    return this.asOutlook('DELETE', mailbox, `/contactFolders/${encodeURIComponent(folderId)}`);
  }

  /** Creates a contact as the person types it (`birthday` as a date, `folderId` optional). */
  createInOutlook(mailbox: string, contact: Record<string, unknown>): Promise<OutlookContact> {
    return this.asOutlook('POST', mailbox, '/contacts', contact);
  }

  /** Edits a contact as the person does (`birthday` as a date). */
  editInOutlook(mailbox: string, id: string, patch: Record<string, unknown>): Promise<OutlookContact> {
    return this.asOutlook('PATCH', mailbox, `/contacts/${encodeURIComponent(id)}`, patch);
  }

  /** Enters a birthday (YYYY-MM-DD) as Outlook stores it: local midnight of the mailbox's zone, in UTC. */
  setBirthday(mailbox: string, id: string, date: string): Promise<OutlookContact> {
    return this.editInOutlook(mailbox, id, { birthday: date });
  }

  private async token(): Promise<string> {
    if (this.#token) return this.#token;
    const response = await fetch(`${this.options.graphUrl}/${this.options.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    if (!response.ok) throw new Error(`Outlook sign-in failed with ${response.status}`);
    this.#token = ((await response.json()) as { access_token: string }).access_token;
    return this.#token;
  }
}
