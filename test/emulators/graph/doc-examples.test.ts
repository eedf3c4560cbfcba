import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call, startSubscriber } from './support.js';

/**
 * The request/response examples of Microsoft's pages (microsoftgraph/microsoft-graph-docs-contrib,
 * api-reference/v1.0/api/… and concepts/…), sent to the emulator as written, with `/me` as
 * `/users/{mail}` (app-only callers have no `/me`). Where a page is wrong, the test follows
 * the service and says so:
 * - contact-update.md answers `"birthday": "1974-07-22"`; the property is an
 *   Edm.DateTimeOffset and is answered as `1974-07-22T00:00:00Z`.
 * - contact-delta.md selects `displayName` but shows other properties in the answer, and calls
 *   the nextLink a "response header"; it is in the body, and `$select` holds.
 * - subscription-post-subscriptions.md expires in 2016 (in the past: Graph refuses it) and
 *   subscribes to messages; here a contact resource and a future expiry.
 * - json-batching.md's example calls directory and Planner URLs; its dependsOn sequencing
 *   example is sent with contact URLs.
 */
let emulator: RunningGraphEmulator;
let token: string;
const mail = 'pavel@contoso.test';
const me = `/users/${mail}`;

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail });
});

const graph = (method: string, path: string, init: Parameters<typeof call>[4] = {}) =>
  call(emulator, token, method, path, init);

const PAVEL = {
  givenName: 'Pavel',
  surname: 'Bansky',
  emailAddresses: [{ address: 'pavelb@contoso.com', name: 'Pavel Bansky' }],
  businessPhones: ['+1 732 555 0102'],
};

describe('contact pages', () => {
  it('Create contact (user-post-contacts.md)', async () => {
    const created = await graph('POST', `${me}/contacts`, { body: PAVEL });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Pavel Bansky', ...PAVEL });
    expect(created.body['createdDateTime']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('Get contact (contact-get.md), Update contact (contact-update.md), Delete contact (contact-delete.md)', async () => {
    const id = (await graph('POST', `${me}/contacts`, { body: PAVEL })).body['id'] as string;
    const read = await graph('GET', `${me}/contacts/${id}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body)).toEqual(
      expect.arrayContaining([
        'id',
        'changeKey',
        'parentFolderId',
        'birthday',
        'fileAs',
        'homeAddress',
        'children',
      ]),
    );
    const updated = await graph('PATCH', `${me}/contacts/${id}`, {
      body: {
        homeAddress: { street: '123 Some street', city: 'Seattle', state: 'WA', postalCode: '98121' },
        birthday: '1974-07-22',
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id,
      birthday: '1974-07-22T00:00:00Z',
      homeAddress: { street: '123 Some street', city: 'Seattle', state: 'WA', postalCode: '98121' },
      displayName: 'Pavel Bansky',
    });
    expect((await graph('DELETE', `${me}/contacts/${id}`)).status).toBe(204);
  });

  it('contact: delta (contact-delta.md) with $select=displayName and Prefer: odata.maxpagesize=2', async () => {
    for (const givenName of ['A', 'B', 'C']) await graph('POST', `${me}/contacts`, { body: { givenName } });
    const page = await graph('GET', `${me}/contactFolders/contacts/contacts/delta?$select=displayName`, {
      headers: { prefer: 'odata.maxpagesize=2' },
    });
    expect(page.status).toBe(200);
    expect(page.body['@odata.nextLink']).toMatch(/\/contacts\/delta\?\$skiptoken=/);
    const value = page.body['value'] as Record<string, unknown>[];
    expect(value).toHaveLength(2);
    for (const item of value)
      expect(Object.keys(item).sort()).toEqual(['@odata.etag', '@odata.type', 'displayName', 'id']);
  });
});

describe('contactFolder pages', () => {
  it('Create (user-post-contactfolders.md), get, update (contactfolder-update.md), child folders, contacts, delete', async () => {
    const created = await graph('POST', `${me}/contactFolders`, {
      body: { parentFolderId: 'parentFolderId-value', displayName: 'displayName-value' },
    });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    expect(created.body).toMatchObject({
      displayName: 'displayName-value',
      parentFolderId: expect.any(String),
    });
    expect((await graph('GET', `${me}/contactFolders/${id}`)).body).toMatchObject({
      id,
      displayName: 'displayName-value',
    });

    const child = await graph('POST', `${me}/contactFolders/${id}/childFolders`, {
      body: { displayName: 'Kind' },
    });
    expect(child.status).toBe(201);
    const renamed = await graph('PATCH', `${me}/contactFolders/${child.body['id']}`, {
      body: { displayName: 'Umbenannt', parentFolderId: emulator.admin.mailboxes()[0]?.defaultFolderId },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      displayName: 'Umbenannt',
      parentFolderId: emulator.admin.mailboxes()[0]?.defaultFolderId,
    });
    expect((await graph('GET', `${me}/contactFolders`)).body['value']).toHaveLength(2);

    const contact = await graph('POST', `${me}/contactFolders/${id}/contacts`, { body: PAVEL });
    expect(contact.body['parentFolderId']).toBe(id);
    expect((await graph('GET', `${me}/contactFolders/${id}/contacts`)).body['value']).toHaveLength(1);

    // contactfolder-delete.md and contactfolder-permanentdelete.md: 204 No Content.
    expect((await graph('DELETE', `${me}/contactFolders/${id}`)).status).toBe(204);
    expect((await graph('POST', `${me}/contactFolders/${renamed.body['id']}/permanentDelete`)).status).toBe(
      204,
    );
    expect((await graph('GET', `${me}/contactFolders`)).body['value']).toEqual([]);
  });
});

describe('subscription pages', () => {
  it('Create (subscription-post-subscriptions.md), update (subscription-update.md), reauthorize, delete', async () => {
    const subscriber = await startSubscriber();
    try {
      const created = await graph('POST', '/subscriptions', {
        body: {
          changeType: 'created',
          notificationUrl: `${subscriber.base}/api/send/myNotifyClient`,
          resource: `users/${mail}/contacts`,
          expirationDateTime: new Date(Date.now() + 3 * 24 * 3600_000).toISOString(),
          clientState: 'secretClientValue',
          latestSupportedTlsVersion: 'v1_2',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        '@odata.context': `${emulator.url}/v1.0/$metadata#subscriptions/$entity`,
        changeType: 'created',
        clientState: 'secretClientValue',
        latestSupportedTlsVersion: 'v1_2',
      });
      const id = created.body['id'] as string;
      const expirationDateTime = new Date(Date.now() + 4 * 24 * 3600_000).toISOString();
      const renewed = await graph('PATCH', `/subscriptions/${id}`, { body: { expirationDateTime } });
      expect(renewed.status).toBe(200);
      expect(new Date(renewed.body['expirationDateTime'] as string).toISOString()).toBe(expirationDateTime);
      expect((await graph('POST', `/subscriptions/${id}/reauthorize`)).status).toBe(204);
      expect((await graph('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    } finally {
      await subscriber.stop();
    }
  });
});

describe('JSON batching (concepts/json-batching.md)', () => {
  it('runs the dependsOn example in the order 1, 2, 4, 3', async () => {
    const url = `${me}/contacts`;
    const response = await graph('POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url },
          { id: '2', dependsOn: ['1'], method: 'GET', url },
          { id: '4', dependsOn: ['2'], method: 'GET', url },
          { id: '3', dependsOn: ['4'], method: 'GET', url },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect((response.body['responses'] as { id: string }[]).map((r) => r.id)).toEqual(['1', '2', '4', '3']);
  });

  it('answers a parseable batch 200 even when every step fails, each with its own status', async () => {
    const response = await graph('POST', '/$batch', {
      body: { requests: [{ id: '1', method: 'GET', url: `${me}/contacts/AAMkADmissing=` }] },
    });
    expect(response.status).toBe(200);
    expect(response.body['responses']).toMatchObject([{ id: '1', status: 404 }]);
  });
});
