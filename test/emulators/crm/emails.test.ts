import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { type CrmMailInput, crmMailSchema } from '../../../shared/mail/crm-mail.js';
import { emailKey } from '../../../shared/mail/key.js';
import { rawClient } from './client.js';

/**
 * The CRM contract's e-mail extension (issue 17, item 3; README "Extensions to the CRM
 * contract"): upsert by key, read by key, a contact's e-mails newest first and paged, with
 * the contacts API's auth, error shape, request log and faults.
 */

let emulator: RunningCrmEmulator;
let call: ReturnType<typeof rawClient>;
let anna: string;
let bernd: string;

beforeAll(async () => {
  emulator = await startCrmEmulator();
  call = rawClient(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  [anna, bernd] = emulator.admin
    .seed([
      { firstName: 'Anna', emails: [{ address: 'anna@kunde.example', type: null }] },
      { firstName: 'Bernd', emails: [{ address: 'bernd@kunde.example', type: null }] },
    ])
    .map((c) => c.id) as [string, string];
});

function mail(overrides: Partial<CrmMailInput> = {}): CrmMailInput {
  return {
    internetMessageId: '<m1@kunde.example>',
    conversationId: 'conv-1',
    direction: 'incoming',
    subject: 'Besichtigung',
    sentAt: '2025-03-01T09:59:00Z',
    receivedAt: '2025-03-01T10:00:00Z',
    bodyPreview: 'Passt Freitag?',
    bodyText: 'Passt Freitag?\nGruß Anna',
    hasAttachments: false,
    attachments: [],
    participants: [
      { role: 'from', address: 'anna@kunde.example', name: 'Anna', contactId: anna },
      { role: 'to', address: 'max@makler.example', name: null, contactId: null },
    ],
    contactIds: [anna],
    mailboxes: [{ accountId: 'acc-max', folder: 'Inbox' }],
    visibility: 'full',
    ...overrides,
  };
}

const key = (n: number) => emailKey('tenant-1', `<m${n}@kunde.example>`);

describe('PUT /crm/v1/emails/{key}', () => {
  it('creates with 201 and a Location, replaces with 200, and GET reads what was written', async () => {
    const created = await call('PUT', `/crm/v1/emails/${key(1)}`, { body: mail() });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/crm/v1/emails/${key(1)}`);
    expect(crmMailSchema.parse(created.json)).toEqual({ key: key(1), ...mail() });

    const merged = mail({
      participants: [
        ...mail().participants,
        { role: 'cc', address: 'bernd@kunde.example', name: null, contactId: bernd },
      ],
      contactIds: [anna, bernd],
      mailboxes: [
        { accountId: 'acc-eva', folder: 'Inbox' },
        { accountId: 'acc-max', folder: 'Inbox' },
      ],
    });
    const replaced = await call('PUT', `/crm/v1/emails/${key(1)}`, { body: merged });
    expect(replaced.status).toBe(200);
    const read = await call('GET', `/crm/v1/emails/${key(1)}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ key: key(1), ...merged });
  });

  it('accepts a body that carries its own key only when it is the same', async () => {
    expect((await call('PUT', `/crm/v1/emails/${key(1)}`, { body: { key: key(1), ...mail() } })).status).toBe(
      201,
    );
    const other = await call('PUT', `/crm/v1/emails/${key(1)}`, { body: { key: key(2), ...mail() } });
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ error: { code: 'key_mismatch' } });
  });

  it('rejects bad input with a JSON 400/422 and stores nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ ...mail(), contactIds: [] }, 400, 'invalid_body'],
      [{ ...mail(), direction: 'sideways' }, 400, 'invalid_body'],
      [{ ...mail(), unknownField: 1 }, 400, 'invalid_body'],
      [{ ...mail(), contactIds: [anna, anna] }, 400, 'invalid_body'],
      [{ ...mail(), contactIds: [bernd] }, 400, 'invalid_body'], // a participant names anna, not listed
      [{ ...mail(), contactIds: ['ghost'], participants: [mail().participants[1]] }, 422, 'unknown_contact'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call('PUT', `/crm/v1/emails/${key(1)}`, { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.json).toMatchObject({ error: { code } });
    }
    const broken = await call('PUT', `/crm/v1/emails/${key(1)}`, { rawBody: '{"subject":' });
    expect(broken.json).toMatchObject({ error: { code: 'invalid_json' } });
    const badKey = await call('PUT', '/crm/v1/emails/has%20space', { body: mail() });
    expect(badKey.json).toMatchObject({ error: { code: 'invalid_key' } });
    expect((await call('GET', `/crm/v1/emails/${key(1)}`)).status).toBe(404);
  });
});

describe('GET /crm/v1/contacts/{id}/emails', () => {
  it("lists a contact's e-mails newest first, paged with nextPageToken", async () => {
    for (let n = 1; n <= 5; n += 1) {
      const at = `2025-03-0${n}T10:00:00Z`;
      const body = mail({ internetMessageId: `<m${n}@kunde.example>`, receivedAt: at, sentAt: at });
      expect((await call('PUT', `/crm/v1/emails/${key(n)}`, { body })).status).toBe(201);
    }
    // Mail without dates sorts last; mail of another contact is not listed.
    await call('PUT', `/crm/v1/emails/${key(6)}`, {
      body: mail({ internetMessageId: '<m6@x>', receivedAt: null, sentAt: null }),
    });
    await call('PUT', `/crm/v1/emails/${key(7)}`, {
      body: mail({
        internetMessageId: '<m7@x>',
        participants: [{ role: 'from', address: 'bernd@kunde.example', name: null, contactId: bernd }],
        contactIds: [bernd],
      }),
    });

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '2', ...(pageToken ? { pageToken } : {}) });
      const page = await call('GET', `/crm/v1/contacts/${anna}/emails?${query}`);
      expect(page.status).toBe(200);
      const body = page.json as { items: { key: string }[]; nextPageToken?: string };
      seen.push(...body.items.map((item) => item.key));
      pageToken = body.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual([key(5), key(4), key(3), key(2), key(1), key(6)]);
  });

  it('drops an e-mail from a contact that a later PUT no longer names', async () => {
    await call('PUT', `/crm/v1/emails/${key(1)}`, {
      body: mail({
        participants: [
          ...mail().participants,
          { role: 'cc', address: 'bernd@kunde.example', name: null, contactId: bernd },
        ],
        contactIds: [anna, bernd],
      }),
    });
    await call('PUT', `/crm/v1/emails/${key(1)}`, { body: mail() });
    const list = await call('GET', `/crm/v1/contacts/${bernd}/emails`);
    expect(list.json).toEqual({ items: [] });
  });

  it('answers 404 for an unknown contact and 400 for a bad query or page token', async () => {
    expect((await call('GET', '/crm/v1/contacts/ghost/emails')).json).toMatchObject({
      error: { code: 'not_found' },
    });
    expect((await call('GET', `/crm/v1/contacts/${anna}/emails?limit=0`)).json).toMatchObject({
      error: { code: 'invalid_query' },
    });
    expect((await call('GET', `/crm/v1/contacts/${anna}/emails?pageToken=zzz`)).json).toMatchObject({
      error: { code: 'invalid_page_token' },
    });
  });
});

describe('same shell as the contacts API', () => {
  it('requires the bearer token', async () => {
    for (const [method, path] of [
      ['PUT', `/crm/v1/emails/${key(1)}`],
      ['GET', `/crm/v1/emails/${key(1)}`],
      ['GET', `/crm/v1/contacts/${anna}/emails`],
    ] as const) {
      const response = await call(method, path, { token: null, body: method === 'PUT' ? mail() : undefined });
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('logs requests by route template and meets injected faults', async () => {
    await emulator.admin.injectFault({ kind: 'status', status: 503, count: 1, retryAfterSeconds: 2 });
    const faulted = await call('PUT', `/crm/v1/emails/${key(1)}`, { body: mail() });
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('2');
    expect((await call('GET', `/crm/v1/emails/${key(1)}`)).status).toBe(404); // the faulted PUT wrote nothing
    await call('PUT', `/crm/v1/emails/${key(1)}`, { body: mail() });
    await call('GET', `/crm/v1/contacts/${anna}/emails`);
    expect(emulator.admin.requests().api.counts).toEqual({
      'PUT /crm/v1/emails/{key}': 2,
      'GET /crm/v1/emails/{key}': 1,
      'GET /crm/v1/contacts/{id}/emails': 1,
    });
    const admin = await call('GET', '/_emulator/emails', { token: null });
    expect((admin.json as { items: unknown[] }).items).toHaveLength(1);
  });

  it('is cleared by reset', async () => {
    await call('PUT', `/crm/v1/emails/${key(1)}`, { body: mail() });
    emulator.admin.reset();
    expect((await call('GET', `/crm/v1/emails/${key(1)}`)).status).toBe(404);
  });
});
