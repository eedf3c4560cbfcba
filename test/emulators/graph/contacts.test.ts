import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call, graphClient } from './support.js';

const EXT_ID = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmContactId';

let emulator: RunningGraphEmulator;
let token: string;
const mail = 'anna@contoso.test';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ id: '1d6f2c1a-0000-4000-8000-000000000001', mail });
});

describe('token flow through @azure/identity and the Graph client', () => {
  it('creates and reads a contact with the real ClientSecretCredential', async () => {
    const client = graphClient(emulator);
    const created = await client
      .api(`/users/${mail}/contacts`)
      .post({ givenName: 'Anna', surname: 'Muster' });
    const read = await client.api(`/users/${mail}/contacts/${created.id}`).get();
    expect(read.displayName).toBe('Anna Muster');
    expect(read['@odata.etag']).toBe(`W/"${read.changeKey}"`);
  });

  it('rejects a wrong client secret with AADSTS7000215', async () => {
    const client = graphClient(emulator, 'not-the-secret');
    await expect(client.api(`/users/${mail}/contacts`).get()).rejects.toThrow(/AADSTS7000215/);
  });

  it('answers 401 InvalidAuthenticationToken without a token or with a foreign one', async () => {
    const none = await call(emulator, null, 'GET', `/users/${mail}/contacts`);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    const forged = await call(emulator, `${token.slice(0, -4)}AAAA`, 'GET', `/users/${mail}/contacts`);
    expect(forged.status).toBe(401);
  });
});

describe('contacts CRUD', () => {
  it('changes changeKey, etag and keeps the id on every write; If-Match guards', async () => {
    const created = await call(emulator, token, 'POST', `/users/${mail}/contacts`, {
      body: { givenName: 'A' },
    });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    const patched = await call(emulator, token, 'PATCH', `/users/${mail}/contacts/${id}`, {
      body: { surname: 'B' },
      headers: { 'if-match': created.body['@odata.etag'] as string },
    });
    expect(patched.status).toBe(200);
    expect(patched.body['changeKey']).not.toBe(created.body['changeKey']);
    expect(patched.body['id']).toBe(id);
    const stale = await call(emulator, token, 'PATCH', `/users/${mail}/contacts/${id}`, {
      body: { surname: 'C' },
      headers: { 'if-match': created.body['@odata.etag'] as string },
    });
    expect(stale.status).toBe(412);
    const deleted = await call(emulator, token, 'DELETE', `/users/${mail}/contacts/${id}`);
    expect(deleted.status).toBe(204);
    const gone = await call(emulator, token, 'GET', `/users/${mail}/contacts/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      error: {
        code: 'ErrorItemNotFound',
        innerError: { 'request-id': expect.any(String), date: expect.any(String) },
      },
    });
  });

  it('enforces the Exchange caps with the documented message', async () => {
    const emails = ['a', 'b', 'c', 'd'].map((x) => ({ address: `${x}@x.de` }));
    const tooMany = await call(emulator, token, 'POST', `/users/${mail}/contacts`, {
      body: { emailAddresses: emails },
    });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body['error'] as { message: string }).message).toBe(
      'The multi value property EmailAddresses has 4 entries, that exceeds the max allowed value of 3',
    );
    const phones = await call(emulator, token, 'POST', `/users/${mail}/contacts`, {
      body: { businessPhones: ['+1', '+2', '+3'] },
    });
    expect((phones.body['error'] as { message: string }).message).toContain('BusinessPhones has 3 entries');
    const home = await call(emulator, token, 'POST', `/users/${mail}/contacts`, {
      body: { homePhones: ['+1', '+2', '+3'] },
    });
    expect(home.status).toBe(400);
    expect(emulator.admin.contacts(mail)).toHaveLength(0);
  });

  it('pages with $top and absolute https nextLinks, honours $select', async () => {
    for (let i = 0; i < 5; i++) {
      await call(emulator, token, 'POST', `/users/${mail}/contacts`, { body: { givenName: `N${i}` } });
    }
    const client = graphClient(emulator);
    const names: string[] = [];
    let page = await client.api(`/users/${mail}/contacts`).select('givenName').top(2).get();
    for (;;) {
      names.push(...page.value.map((c: { givenName: string }) => c.givenName));
      expect(Object.keys(page.value[0]).sort()).toEqual(['@odata.etag', 'givenName', 'id']);
      if (!page['@odata.nextLink']) break;
      expect(page['@odata.nextLink']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\//);
      page = await client.api(page['@odata.nextLink']).get();
    }
    expect(names).toEqual(['N0', 'N1', 'N2', 'N3', 'N4']);
  });

  it('stores, expands and filters single-value extended properties', async () => {
    const client = graphClient(emulator);
    await client
      .api(`/users/${mail}/contacts`)
      .post({ givenName: 'X', singleValueExtendedProperties: [{ id: EXT_ID, value: 'crm-1' }] });
    await client
      .api(`/users/${mail}/contacts`)
      .post({ givenName: 'Y', singleValueExtendedProperties: [{ id: EXT_ID, value: 'crm-2' }] });
    const found = await client
      .api(`/users/${mail}/contacts`)
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${EXT_ID}' and ep/value eq 'crm-2')`)
      .expand(`singleValueExtendedProperties($filter=id eq '${EXT_ID}')`)
      .get();
    expect(found.value).toHaveLength(1);
    expect(found.value[0].givenName).toBe('Y');
    expect(found.value[0].singleValueExtendedProperties).toEqual([{ id: EXT_ID, value: 'crm-2' }]);
  });

  it('keeps folders apart and reaches the default folder by its alias and id', async () => {
    const client = graphClient(emulator);
    const folder = await client.api(`/users/${mail}/contactFolders`).post({ displayName: 'Family' });
    await client.api(`/users/${mail}/contactFolders/${folder.id}/contacts`).post({ givenName: 'InFolder' });
    await client.api(`/users/${mail}/contacts`).post({ givenName: 'InDefault' });
    const folders = await client.api(`/users/${mail}/contactFolders`).get();
    expect(folders.value.map((f: { displayName: string }) => f.displayName)).toEqual(['Family']);
    const viaAlias = await client.api(`/users/${mail}/contactFolders/contacts/contacts`).get();
    expect(viaAlias.value.map((c: { givenName: string }) => c.givenName)).toEqual(['InDefault']);
    const defaultFolderId = emulator.admin.mailboxes()[0]?.defaultFolderId;
    expect(viaAlias.value[0].parentFolderId).toBe(defaultFolderId);
    const inFolder = await client.api(`/users/${mail}/contactFolders/${folder.id}/contacts`).get();
    const any = await client.api(`/users/${mail}/contacts/${inFolder.value[0].id}`).get();
    expect(any.givenName).toBe('InFolder');
  });
});

describe('malformed requests get Graph error shapes', () => {
  it.each([
    ['malformed JSON', 'POST', `/users/${mail}/contacts`, '{"givenName":', 400, 'BadRequest'],
    [
      'unknown property',
      'POST',
      `/users/${mail}/contacts`,
      '{"favouriteColour":"red"}',
      400,
      'RequestBodyRead',
    ],
    ['unknown route', 'GET', `/users/${mail}/calendars`, undefined, 400, 'BadRequest'],
    ['unknown mailbox', 'GET', '/users/nobody@contoso.test/contacts', undefined, 404, 'ErrorInvalidUser'],
    [
      'bad $select',
      'GET',
      `/users/${mail}/contacts?$select=shoeSize`,
      undefined,
      400,
      'RequestBroker--ParseUri',
    ],
    [
      'bad $filter',
      'GET',
      `/users/${mail}/contacts?$filter=startswith(givenName,'a')`,
      undefined,
      400,
      'ErrorInvalidUrlQueryFilter',
    ],
  ])('%s', async (_name, method, path, raw, status, code) => {
    const response = await call(emulator, token, method, path, raw === undefined ? {} : { raw });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({
      error: { code, message: expect.any(String), innerError: expect.any(Object) },
    });
  });

  it('surfaces errors as GraphError through the client', async () => {
    const error = await graphClient(emulator)
      .api(`/users/${mail}/contacts/AAMkADnope=`)
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });
  });
});
