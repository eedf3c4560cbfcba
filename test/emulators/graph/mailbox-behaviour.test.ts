import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call } from './support.js';

/**
 * A mailbox as Exchange keeps it: unavailable mailboxes, time zones and birthdays, the
 * display name Exchange regenerates, extended properties' case rules.
 */
let emulator: RunningGraphEmulator;
let token: string;
const mail = 'emil@contoso.test';
const mailboxId = '0b7e1f2a-0000-4000-8000-0000000000e1';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ id: mailboxId, mail });
});

const graph = (method: string, path: string, init: Parameters<typeof call>[4] = {}) =>
  call(emulator, token, method, path, init);

async function outlook(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_emulator/users/${mail}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('an unavailable mailbox (fault mailboxUnavailable)', () => {
  it.each([
    // msgraph-sdk-javascript#1756, microsoft-graph-docs-contrib#405 (unlicensed, inactive, soft-deleted, on-premises)
    [
      'MailboxNotEnabledForRESTAPI',
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    ],
    // microsoft-graph-docs#4598 / #5143: "will happen when you try and call api on a users mailbox that does not exist"
    ['ResourceNotFound', 404, 'ResourceNotFound', 'Resource could not be discovered.'],
    // "Limiting application permissions to specific Exchange Online mailboxes" (application access policy)
    [
      'ErrorAccessDenied',
      403,
      'ErrorAccessDenied',
      'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
    ],
  ] as const)(
    'answers every request on it as Graph does for %s, until mailboxAvailable',
    async (as, status, code, message) => {
      const created = await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'U' } });
      await emulator.admin.fault({ kind: 'mailboxUnavailable', mailbox: mailboxId, as });
      for (const [method, path] of [
        ['GET', `/users/${mail}/contacts`],
        ['GET', `/users/${mailboxId}/contacts/${created.body['id']}`],
        ['GET', `/users/${mail}/contactFolders/contacts/contacts/delta`],
        ['DELETE', `/users/${mail}/contacts/${created.body['id']}`],
      ] as const) {
        const response = await graph(method, path);
        expect(response.status).toBe(status);
        expect(response.body).toMatchObject({ error: { code, message } });
      }
      const subscribe = await graph('POST', '/subscriptions', {
        body: {
          changeType: 'created',
          notificationUrl: 'https://127.0.0.1:1/notify',
          resource: `/users/${mail}/contacts`,
          expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
        },
      });
      expect(subscribe.status).toBe(status);
      // Nothing was deleted meanwhile; the mailbox answers again once it is back.
      await emulator.admin.fault({ kind: 'mailboxAvailable', mailbox: mail });
      expect((await graph('GET', `/users/${mail}/contacts/${created.body['id']}`)).status).toBe(200);
    },
  );
});

describe('time zones and birthdays', () => {
  it('serves mailboxSettings and its timeZone with the Windows zone name (Berlin by default)', async () => {
    const settings = await graph('GET', `/users/${mail}/mailboxSettings`);
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ timeZone: 'W. Europe Standard Time' });
    const zone = await graph('GET', `/users/${mail}/mailboxSettings/timeZone`);
    expect(zone.body).toEqual({
      '@odata.context': `${emulator.url}/v1.0/$metadata#users('${mailboxId}')/mailboxSettings/timeZone`,
      value: 'W. Europe Standard Time',
    });
    emulator.admin.createMailbox({ mail: 'sam@contoso.test', timeZone: 'Pacific Standard Time' });
    expect((await graph('GET', `/users/sam@contoso.test/mailboxSettings/timeZone`)).body['value']).toBe(
      'Pacific Standard Time',
    );
  });

  it('accepts the date-only birthday of the Update contact example and full DateTimeOffsets, answering UTC', async () => {
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'B' } })).body[
      'id'
    ] as string;
    // api-reference/v1.0/api/contact-update.md sends "birthday": "1974-07-22".
    const dateOnly = await graph('PATCH', `/users/${mail}/contacts/${id}`, {
      body: {
        homeAddress: { street: '123 Some street', city: 'Seattle', state: 'WA', postalCode: '98121' },
        birthday: '1974-07-22',
      },
    });
    expect(dateOnly.status).toBe(200);
    expect(dateOnly.body['birthday']).toBe('1974-07-22T00:00:00Z');
    const withOffset = await graph('PATCH', `/users/${mail}/contacts/${id}`, {
      body: { birthday: '1980-05-01T00:00:00+02:00' },
    });
    expect(withOffset.body['birthday']).toBe('1980-04-30T22:00:00Z');
    expect(
      (await graph('PATCH', `/users/${mail}/contacts/${id}`, { body: { birthday: '1. Mai' } })).status,
    ).toBe(400);
  });

  it('stores an Outlook user’s birthday as local midnight of the mailbox zone in UTC, winter and summer', async () => {
    const may = await outlook('POST', '/contacts', { givenName: 'Mai', birthday: '1980-05-01' });
    expect(may.status).toBe(201);
    expect(may.body['birthday']).toBe('1980-04-30T22:00:00Z');
    const january = await outlook('PATCH', `/contacts/${may.body['id']}`, { birthday: '1985-01-15' });
    expect(january.body['birthday']).toBe('1985-01-14T23:00:00Z');
    const read = await graph('GET', `/users/${mail}/contacts/${may.body['id']}`);
    expect(read.body['birthday']).toBe('1985-01-14T23:00:00Z');
  });
});

describe('display names', () => {
  it('regenerates displayName when name fields change, unless displayName is in the same PATCH', async () => {
    // contact-update.md, displayName: "later updates to other properties may cause an automatically
    // generated value to overwrite the displayName value you have specified. To preserve a
    // pre-existing value, always include it as displayName in an update operation."
    const created = await graph('POST', `/users/${mail}/contacts`, {
      body: { givenName: 'Anna', surname: 'Muster', displayName: 'Frau Dr. Muster' },
    });
    const id = created.body['id'] as string;
    expect(created.body['displayName']).toBe('Frau Dr. Muster');
    const kept = await graph('PATCH', `/users/${mail}/contacts/${id}`, { body: { jobTitle: 'CEO' } });
    expect(kept.body['displayName']).toBe('Frau Dr. Muster');
    const regenerated = await graph('PATCH', `/users/${mail}/contacts/${id}`, {
      body: { surname: 'Schmidt' },
    });
    expect(regenerated.body['displayName']).toBe('Anna Schmidt');
    const preserved = await graph('PATCH', `/users/${mail}/contacts/${id}`, {
      body: { surname: 'Meier', displayName: 'Frau Dr. Meier' },
    });
    expect(preserved.body['displayName']).toBe('Frau Dr. Meier');
  });

  it('stores and returns e-mail display names as sent', async () => {
    const created = await graph('POST', `/users/${mail}/contacts`, {
      body: {
        givenName: 'E',
        emailAddresses: [
          { name: 'Anna (privat)', address: 'anna@example.de' },
          { name: 'anna.muster@firma.de', address: 'anna.muster@firma.de' },
        ],
      },
    });
    expect(created.body['emailAddresses']).toEqual([
      { name: 'Anna (privat)', address: 'anna@example.de' },
      { name: 'anna.muster@firma.de', address: 'anna.muster@firma.de' },
    ]);
  });
});

describe('extended-property $filter case rules', () => {
  // Get singleValueLegacyExtendedProperty: "Filtering the string name (Name) in the id of an extended
  // property is case-sensitive. Filtering the value property of an extended property is case-insensitive."
  const id = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmContactId';
  const filter = (propertyId: string, value: string) =>
    graph(
      'GET',
      `/users/${mail}/contacts?$filter=${encodeURIComponent(`singleValueExtendedProperties/any(ep: ep/id eq '${propertyId}' and ep/value eq '${value}')`)}`,
    );

  it('matches GUID and type in any case, the Name exactly, the value in any case', async () => {
    await graph('POST', `/users/${mail}/contacts`, {
      body: { givenName: 'X', singleValueExtendedProperties: [{ id, value: 'Link-AbC' }] },
    });
    const count = async (propertyId: string, value: string) =>
      ((await filter(propertyId, value)).body['value'] as unknown[]).length;
    expect(await count(id, 'Link-AbC')).toBe(1);
    expect(await count(id, 'link-abc')).toBe(1);
    expect(await count('string {66F5A359-4659-4830-9070-00047EC6AC6E} name CrmContactId', 'Link-AbC')).toBe(
      1,
    );
    expect(await count('String {66f5a359-4659-4830-9070-00047ec6ac6e} Name crmcontactid', 'Link-AbC')).toBe(
      0,
    );
  });
});
