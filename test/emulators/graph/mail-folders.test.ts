import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { round } from './mail-support.js';
import { accessToken, call } from './support.js';

/**
 * Mail folders:
 * - "mailFolder resource type" (learn.microsoft.com/graph/api/resources/mailfolder): well-known
 *   folder names (inbox, sentitems, deleteditems, junkemail, drafts, outbox, archive) address
 *   the folders like their ids; child folders;
 * - "mailFolder: delta" (learn.microsoft.com/graph/api/mailfolder-delta): the example request
 *   `GET /me/mailFolders/delta` with `Prefer: odata.maxpagesize=2` answers a page with a
 *   nextLink and folders carrying displayName, parentFolderId, childFolderCount,
 *   unreadItemCount and totalItemCount; the round ends with a deltaLink; the next round
 *   returns only what changed.
 */

let emulator: RunningGraphEmulator;
let token: string;
const max = 'max@makler.example';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: max });
});

describe('well-known folders and child folders', () => {
  it('addresses each well-known folder by name and by id, and lists the top level', async () => {
    const names = {
      inbox: 'Inbox',
      sentitems: 'Sent Items',
      deleteditems: 'Deleted Items',
      junkemail: 'Junk Email',
      drafts: 'Drafts',
      outbox: 'Outbox',
      archive: 'Archive',
    };
    const ids: string[] = [];
    for (const [name, displayName] of Object.entries(names)) {
      const byName = await call(emulator, token, 'GET', `/users/${max}/mailFolders/${name}`);
      expect(byName.status, name).toBe(200);
      expect(byName.body).toMatchObject({
        displayName,
        childFolderCount: 0,
        unreadItemCount: 0,
        totalItemCount: 0,
      });
      const byId = await call(emulator, token, 'GET', `/users/${max}/mailFolders/${byName.body['id']}`);
      expect(byId.body).toEqual(byName.body);
      ids.push(byName.body['id'] as string);
    }
    const top = await call(emulator, token, 'GET', `/users/${max}/mailFolders`);
    expect((top.body['value'] as { id: string }[]).map((f) => f.id).sort()).toEqual([...ids].sort());
    expect((await call(emulator, token, 'GET', `/users/${max}/mailFolders/nope`)).status).toBe(404);
  });

  it('creates child folders (409 for a duplicate name) and lists them', async () => {
    const created = await call(emulator, token, 'POST', `/users/${max}/mailFolders/inbox/childFolders`, {
      body: { displayName: 'Kunden' },
    });
    expect(created.status).toBe(201);
    const inbox = await call(emulator, token, 'GET', `/users/${max}/mailFolders/inbox`);
    expect(created.body['parentFolderId']).toBe(inbox.body['id']);
    expect(inbox.body['childFolderCount']).toBe(1);
    const again = await call(emulator, token, 'POST', `/users/${max}/mailFolders/inbox/childFolders`, {
      body: { displayName: 'kunden' },
    });
    expect(again.status).toBe(409);
    const children = await call(emulator, token, 'GET', `/users/${max}/mailFolders/inbox/childFolders`);
    expect((children.body['value'] as { displayName: string }[]).map((f) => f.displayName)).toEqual([
      'Kunden',
    ]);
  });
});

describe('mailFolder: delta', () => {
  it('pages every folder of the hierarchy by maxpagesize, then returns only the new folder', async () => {
    const child = await call(emulator, token, 'POST', `/users/${max}/mailFolders/inbox/childFolders`, {
      body: { displayName: 'Kunden' },
    });
    const first = await call(emulator, token, 'GET', `/users/${max}/mailFolders/delta`, {
      headers: { prefer: 'odata.maxpagesize=2' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
    expect(first.body['@odata.nextLink']).toMatch(/mailFolders\/delta\?\$skiptoken=/);
    const [folder] = first.body['value'] as Record<string, unknown>[];
    for (const name of [
      'id',
      'displayName',
      'parentFolderId',
      'childFolderCount',
      'unreadItemCount',
      'totalItemCount',
    ]) {
      expect(folder, name).toHaveProperty(name);
    }
    const all = await round(emulator, token, `/users/${max}/mailFolders/delta`, {
      prefer: 'odata.maxpagesize=2',
    });
    expect(all.items.map((f) => f['displayName'])).toEqual(
      expect.arrayContaining(['Inbox', 'Sent Items', 'Kunden']),
    );
    expect(all.items).toHaveLength(8); // 7 well-known folders and Kunden; the dumpster is hidden
    expect(all.items.find((f) => f['id'] === child.body['id'])).toBeDefined();
    await call(emulator, token, 'POST', `/users/${max}/mailFolders`, { body: { displayName: 'Projekte' } });
    const next = await round(emulator, token, all.deltaLink);
    expect(next.items.map((f) => f['displayName'])).toEqual(['Projekte']);
  });
});
