import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import type { ExchangeContact } from '../../../shared/contact/exchange-contact.js';
import { exchangeFieldsOf } from '../../../shared/contact/from-exchange.js';
import { adapterFor, clientFor, fields, startGraph } from './support.js';

/**
 * A birthday entered in Outlook is stored as the local midnight of the mailbox's time zone
 * (mailboxSettings.timeZone, a Windows name), in UTC: 1 May 1980 in Berlin is
 * 1980-04-30T22:00:00Z (issue 13). It must reach the CRM as that date, and one we write must
 * be stored the way Outlook stores it, so Outlook shows the same date — in winter and summer.
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const BERLIN = 'anna@contoso.example';
const SEATTLE = 'bob@contoso.example';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph());
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: BERLIN, timeZone: 'W. Europe Standard Time' });
  emulator.admin.createMailbox({ mail: SEATTLE, timeZone: 'Pacific Standard Time' });
});

describe('birthdays between Outlook and the CRM', () => {
  it.each([
    ['1980-05-01', '1980-04-30T22:00:00Z'],
    ['1980-01-15', '1980-01-14T23:00:00Z'],
  ])('entered in Outlook in Berlin as %s (stored %s) reaches the CRM as that date', async (date, stored) => {
    const entered = await asOutlookUser(BERLIN, { givenName: 'Anna', surname: 'Schmidt', birthday: date });
    expect(entered['birthday']).toBe(stored);
    const folderId = await exchange.defaultFolderId(BERLIN);
    const upserts: ExchangeContact[] = [];
    for await (const page of exchange.delta(BERLIN, folderId, null)) upserts.push(...page.upserts);
    expect(upserts).toHaveLength(1);
    expect(exchangeFieldsOf(upserts[0] as ExchangeContact, 'DE').birthday).toBe(date);
    const read = await exchange.get(BERLIN, upserts[0]?.id ?? '');
    expect(exchangeFieldsOf(read as ExchangeContact, 'DE').birthday).toBe(date);
  });

  it.each([
    [BERLIN, '1980-05-01', '1980-04-30T22:00:00Z'],
    [BERLIN, '1980-01-15', '1980-01-14T23:00:00Z'],
    [SEATTLE, '1980-05-01', '1980-05-01T07:00:00Z'],
  ])('set in the CRM for %s as %s, is stored as Outlook stores it (%s)', async (mailbox, date, stored) => {
    const folderId = await exchange.defaultFolderId(mailbox);
    const created = await exchange.create(mailbox, folderId, fields({ birthday: date }), 'link-b');
    expect(exchangeFieldsOf(created, 'DE').birthday).toBe(date);
    expect(await rawBirthday(mailbox, created.id)).toBe(stored);
    const moved = date.replace(/-\d{2}$/, '-02');
    const updated = await exchange.update(mailbox, created.id, { birthday: moved });
    expect(exchangeFieldsOf(updated, 'DE').birthday).toBe(moved);
    const [batched] = await exchange.batchUpdate(mailbox, [{ id: created.id, fields: { birthday: date } }]);
    expect(batched?.ok && exchangeFieldsOf(batched.contact, 'DE').birthday).toBe(date);
    expect(await rawBirthday(mailbox, created.id)).toBe(stored);
  });

  it('reads the time zone once per mailbox', async () => {
    const fresh = adapterFor(emulator);
    const folderId = await fresh.defaultFolderId(BERLIN);
    emulator.admin.clearRequests();
    await fresh.create(BERLIN, folderId, fields({ birthday: '1980-05-01' }), 'l1');
    await fresh.create(BERLIN, folderId, fields({ birthday: '1981-05-01' }), 'l2');
    await fresh.create(BERLIN, folderId, fields(), 'l3');
    expect(emulator.admin.requests().byRoute['GET /users/{m}/mailboxSettings/timeZone']).toBe(1);
  });
});

async function rawBirthday(mailbox: string, id: string): Promise<unknown> {
  const contact = (await clientFor(emulator)
    .api(`/users/${mailbox}/contacts/${id}`)
    .header('Prefer', 'IdType="ImmutableId"')
    .get()) as { birthday?: unknown };
  return contact.birthday;
}

/** What an Outlook user does (the emulator's admin route, issue 13). */
async function asOutlookUser(
  mailbox: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/_emulator/users/${encodeURIComponent(mailbox)}/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}
