import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { admin, person, receive, round } from './mail-support.js';
import { accessToken, call } from './support.js';

/**
 * messages/delta per mail folder, as Microsoft documents it:
 * - "Get incremental changes to messages in a folder" (learn.microsoft.com/graph/delta-query-messages):
 *   example 1 (5 messages, $select=subject,sender,isRead, Prefer: odata.maxpagesize=2 → 3 pages;
 *   then a delete and a mark-as-read come as the next round), example 2 (changeType=created),
 *   the `$filter=receivedDateTime ge …` cap of 5,000 messages, no `$search`;
 * - "message: delta" (learn.microsoft.com/graph/api/message-delta): options of the initial
 *   request are encoded in the links;
 * - "Obtain immutable identifiers for Outlook resources": a move changes the regular id, not
 *   the immutable one, and `Prefer: IdType="ImmutableId"` applies to delta responses too.
 */

let emulator: RunningGraphEmulator;
let token: string;
const max = 'max@makler.example';
const inboxDelta = `/users/${max}/mailFolders/inbox/messages/delta`;
const page2 = { prefer: 'odata.maxpagesize=2' };

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: max, displayName: 'Max Makler' });
});

const subjects = [
  'Holiday hours update',
  'Holiday promotion sale',
  'Microsoft Virtual Academy at Contoso',
  'New or modified user account information',
  'Fabric CDN now available',
];

describe('example 1: synchronize messages in a folder', () => {
  it('pages the initial round by maxpagesize with $select, then returns only the deletion and the update', async () => {
    const ids: string[] = [];
    for (const [i, subject] of subjects.entries()) {
      ids.push(
        (
          await receive(emulator, max, {
            subject,
            from: person(`sender${i}@contoso.com`, `Sender ${i}`),
            isRead: i > 0,
          })
        ).id,
      );
    }
    const first = await round(emulator, token, `${inboxDelta}?$select=subject,sender,isRead`, page2);
    expect(first.pages.map((p) => (p['value'] as unknown[]).length)).toEqual([2, 2, 1]);
    for (const p of first.pages.slice(0, 2)) {
      expect(p['@odata.context']).toMatch(/\/v1\.0\/\$metadata#Collection\(message\)$/);
      expect(p['@odata.nextLink']).toMatch(/messages\/delta\?\$skiptoken=/);
      expect(p['@odata.nextLink']).not.toContain('$select'); // encoded in the token
    }
    expect(first.deltaLink).toMatch(/messages\/delta\?\$deltatoken=/);
    expect(first.items.map((i) => i['subject'])).toEqual(subjects);
    const item = first.items[0]!;
    expect(Object.keys(item).sort()).toEqual([
      '@odata.etag',
      '@odata.type',
      'id',
      'isRead',
      'sender',
      'subject',
    ]);
    expect(item['@odata.type']).toBe('#microsoft.graph.message');
    expect(item['@odata.etag']).toMatch(/^W\/".+"$/);
    expect(item['sender']).toEqual(person('sender0@contoso.com', 'Sender 0'));

    // "After the first round, one of the messages is deleted, and another is marked as read."
    expect((await call(emulator, token, 'DELETE', `/users/${max}/messages/${ids[4]}`)).status).toBe(204);
    const read = await call(emulator, token, 'PATCH', `/users/${max}/messages/${ids[0]}`, {
      body: { isRead: true },
    });
    expect(read.status).toBe(200);
    const next = await round(emulator, token, first.deltaLink, page2);
    expect(next.pages).toHaveLength(1);
    expect(next.items).toEqual([
      { '@odata.type': '#microsoft.graph.message', id: ids[4], '@removed': { reason: 'deleted' } },
      expect.objectContaining({ id: ids[0], subject: 'Holiday hours update', isRead: true }),
    ]);
    expect(Object.keys(next.items[1]!)).not.toContain('from'); // the $select of the first round still holds
    expect((await round(emulator, token, next.deltaLink)).items).toEqual([]);
  });

  it('returns every default property without $select, internetMessageHeaders only when selected', async () => {
    await receive(emulator, max, { internetMessageHeaders: [{ name: 'List-Id', value: '<news.example>' }] });
    const [all] = (await round(emulator, token, inboxDelta)).items;
    for (const name of [
      'internetMessageId',
      'conversationId',
      'from',
      'sender',
      'toRecipients',
      'ccRecipients',
      'bccRecipients',
      'subject',
      'sentDateTime',
      'receivedDateTime',
      'bodyPreview',
      'hasAttachments',
      'categories',
      'isDraft',
      'parentFolderId',
      'body',
    ]) {
      expect(all, name).toHaveProperty(name);
    }
    expect(all).not.toHaveProperty('internetMessageHeaders');
    const [withHeaders] = (await round(emulator, token, `${inboxDelta}?$select=internetMessageHeaders`))
      .items;
    expect(withHeaders!['internetMessageHeaders']).toEqual(
      expect.arrayContaining([{ name: 'List-Id', value: '<news.example>' }]),
    );
    const bad = await call(emulator, token, 'GET', `${inboxDelta}?$select=nope`);
    expect(bad.status).toBe(400);
  });
});

describe('example 2: synchronize messages based on change type', () => {
  it('with changeType=created, the next round returns only the messages created since', async () => {
    const ids: string[] = [];
    for (const subject of [
      'Inline Attachments Again',
      'RE: Test Outlook TimeZone',
      'Your preview of the new Briefing email',
      'Char Coding HTML',
    ]) {
      ids.push((await receive(emulator, max, { subject })).id);
    }
    const first = await round(
      emulator,
      token,
      `${inboxDelta}?changeType=created&$select=subject,sender,isRead`,
      page2,
    );
    expect(first.pages).toHaveLength(2);
    expect(first.items).toHaveLength(4);
    // "two more messages are created, one message is deleted, and another is marked as read"
    await receive(emulator, max, { subject: 'Nested Attachment' });
    await receive(emulator, max, { subject: 'Attachment Testing' });
    await call(emulator, token, 'DELETE', `/users/${max}/messages/${ids[0]}`);
    await call(emulator, token, 'PATCH', `/users/${max}/messages/${ids[1]}`, { body: { isRead: true } });
    const next = await round(emulator, token, first.deltaLink, page2);
    expect(next.items.map((i) => i['subject'])).toEqual(['Nested Attachment', 'Attachment Testing']);

    const updated = await round(emulator, token, `${inboxDelta}?changeType=updated`);
    await call(emulator, token, 'PATCH', `/users/${max}/messages/${ids[2]}`, {
      body: { categories: ['Kunde'] },
    });
    await receive(emulator, max, { subject: 'ignored by updated' });
    expect((await round(emulator, token, updated.deltaLink)).items.map((i) => i['id'])).toEqual([ids[2]]);

    const deleted = await round(emulator, token, `${inboxDelta}?changeType=deleted`);
    await call(emulator, token, 'DELETE', `/users/${max}/messages/${ids[3]}`);
    await call(emulator, token, 'PATCH', `/users/${max}/messages/${ids[2]}`, { body: { isRead: true } });
    expect((await round(emulator, token, deleted.deltaLink)).items).toEqual([
      { '@odata.type': '#microsoft.graph.message', id: ids[3], '@removed': { reason: 'deleted' } },
    ]);
  });
});

describe('$filter=receivedDateTime, capped as Graph caps it', () => {
  it('supports only receivedDateTime ge|gt and returns at most the 5,000 newest messages', async () => {
    const start = Date.parse('2025-01-01T00:00:00Z');
    const messages = Array.from({ length: 5003 }, (_, i) => ({
      from: person('anna@kunde.example'),
      subject: `m${i}`,
      receivedDateTime: new Date(start + i * 60_000).toISOString(),
    }));
    expect((await admin(emulator, 'POST', `/users/${max}/messages/receive`, { messages })).status).toBe(201);
    const filtered = await round(
      emulator,
      token,
      `${inboxDelta}?$select=subject&$filter=receivedDateTime ge 2025-01-01T00:00:00Z`,
      {
        prefer: 'odata.maxpagesize=1000',
      },
    );
    expect(filtered.items).toHaveLength(5000);
    expect(filtered.items.map((i) => i['subject'])).not.toContain('m2'); // the oldest three fall off
    expect(filtered.items.map((i) => i['subject'])).toContain('m3');

    const since = await round(
      emulator,
      token,
      `${inboxDelta}?$select=subject&$filter=receivedDateTime gt ${new Date(start + 5000 * 60_000).toISOString()}`,
    );
    expect(since.items.map((i) => i['subject'])).toEqual(['m5001', 'm5002']);
    for (const filter of [
      "subject eq 'x'",
      'receivedDateTime lt 2025-01-01T00:00:00Z',
      'receivedDateTime ge yesterday',
    ]) {
      const bad = await call(emulator, token, 'GET', `${inboxDelta}?$filter=${encodeURIComponent(filter)}`);
      expect(bad.status, filter).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'ErrorInvalidUrlQueryFilter' } });
    }
    expect((await call(emulator, token, 'GET', `${inboxDelta}?$search=%22x%22`)).status).toBe(400);
  }, 60_000);
});

describe('moves and immutable ids', () => {
  it('a move without immutable ids: @removed with the old id in the old folder, a new id in the new one', async () => {
    const folder = await call(emulator, token, 'POST', `/users/${max}/mailFolders/inbox/childFolders`, {
      body: { displayName: 'Kunden' },
    });
    const folderId = folder.body['id'] as string;
    const { id, immutableId } = await receive(emulator, max, {});
    const inbox = await round(emulator, token, inboxDelta);
    const kunden = await round(emulator, token, `/users/${max}/mailFolders/${folderId}/messages/delta`);
    const moved = await call(emulator, token, 'POST', `/users/${max}/messages/${id}/move`, {
      body: { destinationId: folderId },
    });
    expect(moved.status).toBe(201);
    const newId = moved.body['id'] as string;
    expect(newId).not.toBe(id);
    expect(moved.body['parentFolderId']).toBe(folderId);
    expect((await round(emulator, token, inbox.deltaLink)).items).toEqual([
      { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } },
    ]);
    expect((await round(emulator, token, kunden.deltaLink)).items.map((i) => i['id'])).toEqual([newId]);
    expect((await call(emulator, token, 'GET', `/users/${max}/messages/${id}`)).status).toBe(404);
    expect((await call(emulator, token, 'GET', `/users/${max}/messages/${immutableId}`)).body['id']).toBe(
      newId,
    );
  });

  it('with Prefer: IdType="ImmutableId" the id survives the move, in delta and in the move answer', async () => {
    const immutable = { prefer: 'IdType="ImmutableId"' };
    const { immutableId } = await receive(emulator, max, {});
    const inbox = await round(emulator, token, inboxDelta, immutable);
    expect(inbox.items.map((i) => i['id'])).toEqual([immutableId]);
    const archive = await round(
      emulator,
      token,
      `/users/${max}/mailFolders/archive/messages/delta`,
      immutable,
    );
    const moved = await call(emulator, token, 'POST', `/users/${max}/messages/${immutableId}/move`, {
      body: { destinationId: 'archive' },
      headers: immutable,
    });
    expect(moved.body['id']).toBe(immutableId);
    expect(moved.headers.get('preference-applied')).toContain('IdType="ImmutableId"');
    expect((await round(emulator, token, inbox.deltaLink, immutable)).items).toEqual([
      { '@odata.type': '#microsoft.graph.message', id: immutableId, '@removed': { reason: 'deleted' } },
    ]);
    expect((await round(emulator, token, archive.deltaLink, immutable)).items.map((i) => i['id'])).toEqual([
      immutableId,
    ]);
  });
});

describe('tokens', () => {
  it('answers 410 SyncStateNotFound for an expired token, 400 for a forged one', async () => {
    await receive(emulator, max, {});
    const first = await round(emulator, token, inboxDelta);
    await emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: max });
    const expired = await call(emulator, token, 'GET', first.deltaLink);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ error: { code: 'SyncStateNotFound' } });
    const forged = await call(emulator, token, 'GET', `${inboxDelta}?$deltatoken=garbage`);
    expect(forged.status).toBe(400);
    // A token of one folder does not fit another.
    const sent = await call(
      emulator,
      token,
      'GET',
      `/users/${max}/mailFolders/sentitems/messages/delta?${new URL(first.deltaLink).searchParams}`,
    );
    expect(sent.status).toBe(410);
  });
});
