import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { RestCrmEmails } from '../../../shared/adapters/crm/rest-crm-emails.js';
import { SyncError } from '../../../shared/errors.js';
import type { CrmMailInput } from '../../../shared/mail/crm-mail.js';
import { emailKey } from '../../../shared/mail/key.js';

let emulator: RunningCrmEmulator;
let crm: RestCrmEmails;
let anna: string;

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

beforeAll(async () => {
  emulator = await startCrmEmulator();
  crm = new RestCrmEmails({
    baseUrl: `${emulator.url}/`,
    token: emulator.token,
    retryBaseMs: 5,
    retryMaxMs: 50,
  });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  [anna] = emulator.admin
    .seed([{ emails: [{ address: 'anna@kunde.example', type: null }] }])
    .map((c) => c.id) as [string];
});

const mail = (n: number, overrides: Partial<CrmMailInput> = {}): CrmMailInput => ({
  internetMessageId: `<m${n}@kunde.example>`,
  conversationId: null,
  direction: 'outgoing',
  subject: `Exposé ${n}`,
  sentAt: `2025-03-0${n}T08:00:00Z`,
  receivedAt: `2025-03-0${n}T08:00:01Z`,
  bodyPreview: null,
  bodyText: null,
  hasAttachments: true,
  attachments: [{ name: 'expose.pdf', contentType: 'application/pdf', size: 48_000 }],
  participants: [
    { role: 'from', address: 'max@makler.example', name: 'Max', contactId: null },
    { role: 'to', address: 'anna@kunde.example', name: 'Anna', contactId: anna },
  ],
  contactIds: [anna],
  mailboxes: [{ accountId: 'acc-max', folder: 'Sent Items' }],
  visibility: 'subject',
  ...overrides,
});
const key = (n: number) => emailKey('tenant-1', `<m${n}@kunde.example>`);

describe('RestCrmEmails against the emulator', () => {
  it('upserts (created, then replaced), reads and lists newest first across pages', async () => {
    const first = await crm.upsert(key(1), mail(1));
    expect(first).toEqual({ created: true, mail: { key: key(1), ...mail(1) } });
    const again = await crm.upsert(key(1), mail(1, { mailboxes: [] }));
    expect(again.created).toBe(false);
    expect(await crm.get(key(1))).toEqual({ key: key(1), ...mail(1, { mailboxes: [] }) });
    expect(await crm.get(key(9))).toBeNull();

    for (const n of [2, 3]) await crm.upsert(key(n), mail(n));
    const page1 = await crm.listForContact(anna, { limit: 2 });
    expect(page1.items.map((m) => m.key)).toEqual([key(3), key(2)]);
    const page2 = await crm.listForContact(anna, { limit: 2, pageToken: page1.nextPageToken! });
    expect(page2).toEqual({ items: [expect.objectContaining({ key: key(1) })] });
  });

  it('retries a 503 and upserts once', async () => {
    emulator.admin.injectFault({ kind: 'status', status: 503, count: 2 });
    expect((await crm.upsert(key(1), mail(1))).created).toBe(true);
    expect(emulator.admin.requests().api.counts['PUT /crm/v1/emails/{key}']).toBe(3);
  });

  it('turns a rejected e-mail into an invalid SyncError and an unknown contact into notFound', async () => {
    const rejected = await failure(
      crm.upsert(key(1), mail(1, { contactIds: ['ghost'], participants: [mail(1).participants[0]!] })),
    );
    expect(rejected).toMatchObject({ kind: 'invalid', code: 'unknown_contact', status: 422 });
    expect(rejected.message).not.toContain(emulator.token);
    expect(await failure(crm.listForContact('ghost'))).toMatchObject({ kind: 'notFound', status: 404 });
  });

  it('rejects an answer that is not an e-mail', async () => {
    const liar = new RestCrmEmails({
      baseUrl: emulator.url,
      token: 't',
      retries: 0,
      fetch: async () => new Response(JSON.stringify({ key: 'x' }), { status: 200 }),
    });
    expect(await failure(liar.get('x'))).toMatchObject({ kind: 'permanent', code: 'crm_invalid_response' });
  });
});
