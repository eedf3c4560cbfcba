import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call, type RawResponse } from './support.js';

/**
 * Ids, moves and deletes as Exchange has them.
 * - "Obtain immutable identifiers for Outlook resources" (learn.microsoft.com/graph/outlook-immutable-id):
 *   `Prefer: IdType="ImmutableId"` applies per request; an immutable id "will NOT change if the
 *   item is moved to a different folder"; regular ids change on a move; delta links work with
 *   both forms.
 * - "contactFolder: permanentDelete" (v1.0): 204, the folder and its items are removed.
 * - "contact: permanentDelete" (v1.0, learn.microsoft.com/graph/api/contact-permanentdelete): 204,
 *   purged past Deleted Items.
 * - ErrorSyncFolderNotFound "The folder to be synchronized could not be found." for the delta
 *   of a deleted folder (reported in alcionai/corso#1847).
 * - "Use delta query" overview: the same item can appear more than once; tokens can be evicted
 *   (410 SyncStateNotFound, microsoft-graph-docs#2350).
 */
let emulator: RunningGraphEmulator;
let token: string;
const mail = 'dora@contoso.test';
const IMMUTABLE = { prefer: 'IdType="ImmutableId"' };

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

async function admin(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

const move = (id: string, destinationId: string) =>
  admin('POST', `/users/${mail}/contacts/${encodeURIComponent(id)}/move`, { destinationId });

async function folder(displayName: string): Promise<string> {
  return (await graph('POST', `/users/${mail}/contactFolders`, { body: { displayName } })).body[
    'id'
  ] as string;
}

/** One whole delta round from a start URL; returns the items and the deltaLink. */
async function deltaRound(start: string, headers: Record<string, string> = {}) {
  const items: Record<string, unknown>[] = [];
  let url = start;
  for (;;) {
    const page = await graph('GET', url, { headers });
    expect(page.status).toBe(200);
    items.push(...(page.body['value'] as Record<string, unknown>[]));
    if (typeof page.body['@odata.nextLink'] === 'string') url = page.body['@odata.nextLink'];
    else return { items, deltaLink: page.body['@odata.deltaLink'] as string, headers: page.headers };
  }
}

const deltaOf = (folderId: string) => `/users/${mail}/contactFolders/${folderId}/contacts/delta`;

describe('immutable ids (outlook-immutable-id)', () => {
  it('answers immutable ids only to requests that prefer them, and says so in Preference-Applied', async () => {
    const plain = await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'A' } });
    const immutable = await graph('POST', `/users/${mail}/contacts`, {
      body: { givenName: 'B' },
      headers: IMMUTABLE,
    });
    expect(plain.headers.get('preference-applied')).toBeNull();
    expect(immutable.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    const plainId = plain.body['id'] as string;
    const read = await graph('GET', `/users/${mail}/contacts/${plainId}`, { headers: IMMUTABLE });
    expect(read.body['id']).not.toBe(plainId);
    // Both forms are accepted on input, with or without the header.
    const back = await graph('GET', `/users/${mail}/contacts/${read.body['id']}`);
    expect(back.status).toBe(200);
    expect(back.body['id']).toBe(plainId);
  });

  it('keeps the immutable id across a move; the regular id changes and the old one is gone', async () => {
    const other = await folder('Kunden');
    const created = await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'M' } });
    const regular = created.body['id'] as string;
    const immutableId = (await graph('GET', `/users/${mail}/contacts/${regular}`, { headers: IMMUTABLE }))
      .body['id'] as string;

    const moved = await move(regular, other);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ parentFolderId: other, immutableId, givenName: 'M' });
    expect(moved.body['id']).not.toBe(regular);

    expect((await graph('GET', `/users/${mail}/contacts/${regular}`)).body).toMatchObject({
      error: { code: 'ErrorItemNotFound' },
    });
    const byImmutable = await graph('GET', `/users/${mail}/contacts/${immutableId}`, { headers: IMMUTABLE });
    expect(byImmutable.body).toMatchObject({ id: immutableId, parentFolderId: other });
    const plainAfter = await graph('GET', `/users/${mail}/contacts/${immutableId}`);
    expect(plainAfter.body['id']).toBe(moved.body['id']);
  });

  it('follows each delta request’s own header, and shows a move as @removed there and created here', async () => {
    const other = await folder('Kunden');
    const home = emulator.admin.mailboxes()[0]?.defaultFolderId ?? '';
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'D' } })).body[
      'id'
    ] as string;
    const homeStart = await deltaRound(deltaOf(home));
    const immutableId = (await graph('GET', `/users/${mail}/contacts/${id}`, { headers: IMMUTABLE })).body[
      'id'
    ];
    const otherStart = await deltaRound(deltaOf(other), IMMUTABLE);
    expect(otherStart.headers.get('preference-applied')).toContain('IdType="ImmutableId"');

    const moved = await move(id, other);

    // Without the header: removed under the old regular id, created under the new one.
    const homeAfter = await deltaRound(homeStart.deltaLink);
    expect(homeAfter.items).toEqual([
      { '@odata.type': '#microsoft.graph.contact', id, '@removed': { reason: 'deleted' } },
    ]);
    const otherPlain = await deltaRound(deltaOf(other));
    expect(otherPlain.items.map((i) => i['id'])).toEqual([moved.body['id']]);
    // With it (same deltaLink works with both forms): the immutable id on both sides.
    const otherAfter = await deltaRound(otherStart.deltaLink, IMMUTABLE);
    expect(otherAfter.items.map((i) => i['id'])).toEqual([immutableId]);
    const homeImmutable = await deltaRound(homeStart.deltaLink, IMMUTABLE);
    expect(homeImmutable.items.map((i) => [i['id'], i['@removed']])).toEqual([
      [immutableId, { reason: 'deleted' }],
    ]);
  });
});

describe('immutable ids in $batch steps', () => {
  it('lets each step ask for immutable ids with its own Prefer header', async () => {
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'S' } })).body[
      'id'
    ] as string;
    const response = await graph('POST', '/$batch', {
      body: {
        requests: [
          { id: 'plain', method: 'GET', url: `/users/${mail}/contacts/${id}` },
          { id: 'immutable', method: 'GET', url: `/users/${mail}/contacts/${id}`, headers: IMMUTABLE },
        ],
      },
    });
    const steps = Object.fromEntries(
      (
        response.body['responses'] as { id: string; headers: Record<string, string>; body: { id: string } }[]
      ).map((r) => [r.id, r]),
    );
    expect(steps['plain']?.body.id).toBe(id);
    expect(steps['plain']?.headers['Preference-Applied']).toBeUndefined();
    expect(steps['immutable']?.body.id).not.toBe(id);
    expect(steps['immutable']?.headers['Preference-Applied']).toBe('IdType="ImmutableId"');
  });
});

describe('deletes as Exchange does them', () => {
  it('moves a Graph DELETE to Deleted Items, out of the folder’s delta, and the move route restores it', async () => {
    const info = emulator.admin.mailboxes()[0];
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'Del' } })).body[
      'id'
    ] as string;
    const start = await deltaRound(deltaOf('contacts'));
    expect((await graph('DELETE', `/users/${mail}/contacts/${id}`)).status).toBe(204);

    const after = await deltaRound(start.deltaLink);
    expect(after.items).toEqual([
      { '@odata.type': '#microsoft.graph.contact', id, '@removed': { reason: 'deleted' } },
    ]);
    expect(emulator.admin.contacts(mail)).toEqual([]);
    const deleted = await admin('GET', `/users/${mail}/deletedItems`);
    expect(deleted.body['value']).toMatchObject([
      { givenName: 'Del', parentFolderId: info?.deletedItemsFolderId },
    ]);
    // Deleted Items is a mail folder: not listed, not reachable as a contact folder.
    const listed = await graph('GET', `/users/${mail}/contactFolders`);
    expect((listed.body['value'] as { id: string }[]).map((f) => f.id)).not.toContain(
      info?.deletedItemsFolderId,
    );
    expect((await graph('GET', `/users/${mail}/contactFolders/${info?.deletedItemsFolderId}`)).status).toBe(
      404,
    );

    const inBin = (deleted.body['value'] as { id: string }[])[0]?.id ?? '';
    const restored = await move(inBin, 'contacts');
    expect(restored.body).toMatchObject({ parentFolderId: info?.defaultFolderId, givenName: 'Del' });
    expect(restored.body['id']).not.toBe(id);
    const back = await deltaRound(after.deltaLink);
    expect(back.items.map((i) => i['id'])).toEqual([restored.body['id']]);
  });

  it('lets an Outlook user delete too, and purges what is deleted from Deleted Items', async () => {
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'O' } })).body[
      'id'
    ] as string;
    expect((await admin('DELETE', `/users/${mail}/contacts/${id}`)).status).toBe(204);
    const [inBin] = (await admin('GET', `/users/${mail}/deletedItems`)).body['value'] as { id: string }[];
    expect(inBin).toBeDefined();
    expect((await graph('DELETE', `/users/${mail}/contacts/${inBin?.id}`)).status).toBe(204);
    expect((await admin('GET', `/users/${mail}/deletedItems`)).body['value']).toEqual([]);
    expect((await graph('GET', `/users/${mail}/contacts/${inBin?.id}`)).status).toBe(404);
  });

  // "contact: permanentDelete" (https://learn.microsoft.com/graph/api/contact-permanentdelete,
  // v1.0 and beta): POST …/contacts/{id}/permanentDelete and …/contactFolders/{f}/contacts/{id}/
  // permanentDelete, no body, 204 No Content; the contact goes to the purges folder of the
  // dumpster, out of Outlook's reach (so not to Deleted Items). The page lists no If-Match
  // header; the emulator honours it as on DELETE (its reading, see routes/contacts.ts).
  it.each([
    ['v1.0', (id: string) => `/users/${mail}/contacts/${id}/permanentDelete`],
    [
      'v1.0, by folder',
      (id: string) => `/users/${mail}/contactFolders/contacts/contacts/${id}/permanentDelete`,
    ],
    ['beta', (id: string) => `${emulator.url}/beta/users/${mail}/contacts/${id}/permanentDelete`],
  ] as const)('purges with permanentDelete (%s, 204), past Deleted Items', async (_, path) => {
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'B' } })).body[
      'id'
    ] as string;
    const start = await deltaRound(deltaOf('contacts'));
    const response = await graph('POST', path(id));
    expect(response.status).toBe(204);
    expect((await admin('GET', `/users/${mail}/deletedItems`)).body['value']).toEqual([]);
    expect((await graph('GET', `/users/${mail}/contacts/${id}`)).status).toBe(404);
    expect((await deltaRound(start.deltaLink)).items.map((i) => i['@removed'])).toEqual([
      { reason: 'deleted' },
    ]);
  });

  // The page lists no If-Match among its request headers: a stale one is not relied on to refuse.
  it('permanentDelete purges also with a stale If-Match (no such header documented)', async () => {
    const created = await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'E' } });
    const id = created.body['id'] as string;
    const seen = created.body['changeKey'] as string;
    await graph('PATCH', `/users/${mail}/contacts/${id}`, { body: { jobTitle: 'von Outlook' } });
    const stale = await graph('POST', `/users/${mail}/contacts/${id}/permanentDelete`, {
      headers: { 'if-match': `W/"${seen}"` },
    });
    expect(stale.status).toBe(204);
    expect((await graph('GET', `/users/${mail}/contacts/${id}`)).status).toBe(404);
    expect((await admin('GET', `/users/${mail}/deletedItems`)).body['value']).toEqual([]);
  });

  it('permanentDelete purges a contact that is in Deleted Items', async () => {
    const id = (await graph('POST', `/users/${mail}/contacts`, { body: { givenName: 'D' } })).body[
      'id'
    ] as string;
    expect((await graph('DELETE', `/users/${mail}/contacts/${id}`)).status).toBe(204);
    const [inBin] = (await admin('GET', `/users/${mail}/deletedItems`)).body['value'] as { id: string }[];
    expect((await graph('POST', `/users/${mail}/contacts/${inBin?.id}/permanentDelete`)).status).toBe(204);
    expect((await admin('GET', `/users/${mail}/deletedItems`)).body['value']).toEqual([]);
  });
});

describe('deleting a contact folder', () => {
  it.each([
    ['DELETE', (f: string): [string, string] => ['DELETE', `/users/${mail}/contactFolders/${f}`]],
    [
      'permanentDelete',
      (f: string): [string, string] => ['POST', `/users/${mail}/contactFolders/${f}/permanentDelete`],
    ],
  ] as const)(
    'removes it with its contacts (%s); its delta answers ErrorSyncFolderNotFound',
    async (_, request) => {
      const doomed = await folder('Alt');
      await graph('POST', `/users/${mail}/contactFolders/${doomed}/contacts`, { body: { givenName: 'X' } });
      const start = await deltaRound(deltaOf(doomed));
      const [method, path] = request(doomed);
      expect((await graph(method, path)).status).toBe(204);

      expect(emulator.admin.contacts(mail)).toEqual([]);
      const delta = await graph('GET', start.deltaLink);
      expect(delta.status).toBe(404);
      expect(delta.body).toMatchObject({
        error: {
          code: 'ErrorSyncFolderNotFound',
          message: 'The folder to be synchronized could not be found.',
        },
      });
      expect((await graph('GET', `/users/${mail}/contactFolders/${doomed}`)).status).toBe(404);
    },
  );

  it('refuses to delete the default Contacts folder', async () => {
    const response = await graph('DELETE', `/users/${mail}/contactFolders/contacts`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'ErrorDeleteDistinguishedFolder' } });
  });

  it('lets an Outlook user delete a folder through the admin route', async () => {
    const doomed = await folder('Alt');
    expect((await admin('DELETE', `/users/${mail}/contactFolders/${doomed}`)).status).toBe(204);
    expect((await graph('GET', `/users/${mail}/contactFolders`)).body['value']).toEqual([]);
  });
});

describe('delta as it comes', () => {
  it('serves an item again when told to (repeatDeltaItems), in the same round or the next', async () => {
    for (const n of ['a', 'b', 'c'])
      await graph('POST', `/users/${mail}/contacts`, { body: { givenName: n } });
    await emulator.admin.fault({ kind: 'repeatDeltaItems', count: 2 });
    const first = await graph('GET', deltaOf('contacts'), { headers: { prefer: 'odata.maxpagesize=2' } });
    const second = await graph('GET', first.body['@odata.nextLink'] as string);
    const names = [
      ...(first.body['value'] as { givenName: string }[]),
      ...(second.body['value'] as { givenName: string }[]),
    ].map((i) => i.givenName);
    expect(names).toEqual(['a', 'b', 'c', 'b']);
    const next = await graph('GET', second.body['@odata.deltaLink'] as string);
    expect((next.body['value'] as { givenName: string }[]).map((i) => i.givenName)).toEqual(['c']);
  });

  it('evicts a mailbox’s tokens at any time with 410 SyncStateNotFound (expireDeltaTokens)', async () => {
    const start = await deltaRound(deltaOf('contacts'));
    await emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: mail });
    const response = await graph('GET', start.deltaLink);
    expect(response.status).toBe(410);
    expect(response.body).toMatchObject({ error: { code: 'SyncStateNotFound' } });
  });
});
