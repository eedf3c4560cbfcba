import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call } from './support.js';

let emulator: RunningGraphEmulator;
let token: string;
const mail = 'ben@contoso.test';
const deltaPath = `/users/${mail}/contactFolders/contacts/contacts/delta`;

interface DeltaItem {
  id: string;
  givenName?: string;
  '@removed'?: { reason: string };
}

/** Follows nextLinks to the deltaLink, as a delta client does. */
async function round(start: string, pageSize: number) {
  const items: DeltaItem[] = [];
  let url = start;
  let pages = 0;
  for (;;) {
    const page = await call(emulator, token, 'GET', url, {
      headers: { prefer: `odata.maxpagesize=${pageSize}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('preference-applied')).toBe(`odata.maxpagesize=${pageSize}`);
    pages++;
    items.push(...(page.body['value'] as DeltaItem[]));
    if (typeof page.body['@odata.nextLink'] === 'string') {
      expect(page.body['@odata.nextLink']).toContain('$skiptoken=');
      url = page.body['@odata.nextLink'];
      continue;
    }
    const deltaLink = page.body['@odata.deltaLink'] as string;
    expect(deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/.*\$deltatoken=/);
    return { items, pages, deltaLink };
  }
}

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail });
});

const create = (givenName: string) =>
  call(emulator, token, 'POST', `/users/${mail}/contacts`, { body: { givenName } });

describe('contact delta per folder', () => {
  it('pages the initial round, then returns only changes and deletions', async () => {
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) ids.push((await create(name)).body['id'] as string);
    const first = await round(`${deltaPath}?$select=givenName`, 2);
    expect(first.pages).toBe(3);
    expect(first.items.map((i) => i.givenName)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Object.keys(first.items[0] ?? {})).not.toContain('surname');

    await call(emulator, token, 'PATCH', `/users/${mail}/contacts/${ids[1]}`, { body: { givenName: 'b2' } });
    await call(emulator, token, 'DELETE', `/users/${mail}/contacts/${ids[3]}`);
    await create('f');
    const second = await round(first.deltaLink, 10);
    expect(second.items).toEqual([
      expect.objectContaining({ id: ids[1], givenName: 'b2' }),
      { '@odata.type': '#microsoft.graph.contact', id: ids[3], '@removed': { reason: 'deleted' } },
      expect.objectContaining({ givenName: 'f' }),
    ]);
    const quiet = await round(second.deltaLink, 10);
    expect(quiet.items).toEqual([]);
  });

  it('only sees its own folder', async () => {
    const folder = await call(emulator, token, 'POST', `/users/${mail}/contactFolders`, {
      body: { displayName: 'Other' },
    });
    await call(emulator, token, 'POST', `/users/${mail}/contactFolders/${folder.body['id']}/contacts`, {
      body: { givenName: 'elsewhere' },
    });
    await create('here');
    const result = await round(deltaPath, 10);
    expect(result.items.map((i) => i.givenName)).toEqual(['here']);
  });

  it('answers 410 SyncStateNotFound once tokens are expired', async () => {
    await create('a');
    const first = await round(deltaPath, 10);
    await emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: mail });
    const expired = await call(emulator, token, 'GET', first.deltaLink);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ error: { code: 'SyncStateNotFound' } });
    const fresh = await round(deltaPath, 10);
    expect(fresh.items).toHaveLength(1);
  });
});

describe('$batch', () => {
  it('answers each request with its own status and honours dependsOn', async () => {
    const response = await call(emulator, token, 'POST', '/$batch', {
      body: {
        requests: [
          {
            id: '1',
            method: 'POST',
            url: `/users/${mail}/contacts`,
            headers: { 'Content-Type': 'application/json' },
            body: { givenName: 'Z' },
          },
          { id: '2', method: 'GET', url: `/users/${mail}/contacts/AAMkADmissing=` },
          { id: '3', method: 'GET', url: `/users/${mail}/contacts?$select=givenName`, dependsOn: ['1'] },
          { id: '4', method: 'GET', url: `/users/${mail}/contacts`, dependsOn: ['2'] },
        ],
      },
    });
    expect(response.status).toBe(200);
    const byId = Object.fromEntries(
      (response.body['responses'] as { id: string; status: number; body: Record<string, unknown> }[]).map(
        (r) => [r.id, r],
      ),
    );
    expect(byId['1']?.status).toBe(201);
    expect(byId['2']?.status).toBe(404);
    expect(byId['2']?.body).toMatchObject({ error: { code: 'ErrorItemNotFound' } });
    expect(byId['3']?.status).toBe(200);
    expect(byId['3']?.body['value']).toHaveLength(1);
    expect(byId['4']?.status).toBe(424);
    expect(emulator.admin.requests().byRoute['POST /users/{m}/contacts']).toBe(1);
  });

  it('rejects more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/users/${mail}/contacts`,
    }));
    const response = await call(emulator, token, 'POST', '/$batch', { body: { requests } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'BadRequest' } });
  });
});
