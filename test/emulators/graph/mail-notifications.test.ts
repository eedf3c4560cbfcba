import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { admin, person, receive } from './mail-support.js';
import { accessToken, call, startSubscriber } from './support.js';

/**
 * Message subscriptions and "List attachments", as Microsoft documents them:
 * - "Change notifications for Outlook resources" (learn.microsoft.com/graph/outlook-change-notifications-overview):
 *   a subscription on `/users/{id}/messages` covers every folder of the mailbox; notifications
 *   name `Users/{id}/Messages/{id}` with `resourceData` of `#Microsoft.Graph.Message` and its etag;
 * - "Obtain immutable identifiers for Outlook resources": created with `Prefer: IdType="ImmutableId"`,
 *   the notifications carry immutable ids (the id stays the same across a move);
 * - "List attachments" (learn.microsoft.com/graph/api/message-list-attachments): metadata with `$select`.
 */

let emulator: RunningGraphEmulator;
let token: string;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const max = 'max@makler.example';
let mailboxId: string;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function subscribe(resource: string) {
  return call(emulator, token, 'POST', '/subscriptions', {
    headers: { prefer: 'IdType="ImmutableId"' },
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: `${subscriber.base}/notify`,
      lifecycleNotificationUrl: `${subscriber.base}/lifecycle`,
      resource,
      expirationDateTime: inMinutes(10_000),
      clientState: 'mail-state',
    },
  });
}

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir'), notificationDelayMs: 10 });
  token = await accessToken(emulator);
});
afterAll(async () => {
  await subscriber?.stop();
  await emulator.stop();
});
beforeEach(async () => {
  await subscriber?.stop();
  subscriber = await startSubscriber();
  emulator.admin.reset();
  mailboxId = emulator.admin.createMailbox({ mail: max }).id;
});

describe('subscriptions on a mailbox’s messages', () => {
  it('notifies a received mail, an edit, a move and a delete with immutable ids, and no contact changes', async () => {
    expect((await subscribe(`users/${max}/messages`)).status).toBe(201);
    const received = await receive(emulator, max, { from: person('anna@kunde.example') });
    await emulator.admin.idle();
    const [created] = subscriber.notifications();
    expect(created).toMatchObject({
      changeType: 'created',
      clientState: 'mail-state',
      resource: `Users/${mailboxId}/Messages/${received.immutableId}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Message',
        '@odata.id': `Users/${mailboxId}/Messages/${received.immutableId}`,
        '@odata.etag': expect.stringMatching(/^W\/"/),
        id: received.immutableId,
      },
    });

    await call(emulator, token, 'PATCH', `/users/${max}/messages/${received.id}`, { body: { isRead: true } });
    const archive = await call(emulator, token, 'GET', `/users/${max}/mailFolders/archive`);
    await call(emulator, token, 'POST', `/users/${max}/messages/${received.id}/move`, {
      body: { destinationId: archive.body['id'] },
    });
    await call(emulator, token, 'DELETE', `/users/${max}/messages/${received.immutableId}`);
    await call(emulator, token, 'POST', `/users/${max}/contacts`, { body: { givenName: 'Kein Mail' } });
    await emulator.admin.idle();
    const all = subscriber.notifications();
    expect(all.map((n) => n['changeType'])).toEqual(['created', 'updated', 'updated', 'deleted']);
    expect(new Set(all.map((n) => (n['resourceData'] as { id: string }).id))).toEqual(
      new Set([received.immutableId]),
    );
  });

  it('keeps contact subscriptions free of message changes', async () => {
    expect((await subscribe(`/users/${max}/contacts`)).status).toBe(201);
    await receive(emulator, max, { from: person('anna@kunde.example') });
    await emulator.admin.idle();
    expect(subscriber.notifications()).toEqual([]);
  });
});

describe('List attachments', () => {
  it('lists the attachments’ metadata, narrowed by $select', async () => {
    const response = await admin(emulator, 'POST', `/users/${max}/messages/receive`, {
      from: person('anna@kunde.example'),
      attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 48_213 }],
    });
    const id = (response.body as { immutableId: string }).immutableId;
    const message = await call(emulator, token, 'GET', `/users/${max}/messages/${id}?$select=hasAttachments`);
    expect(message.body['hasAttachments']).toBe(true);
    const listed = await call(
      emulator,
      token,
      'GET',
      `/users/${max}/messages/${id}/attachments?$select=name,contentType,size`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body['value']).toEqual([
      {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: 'Expose.pdf',
        contentType: 'application/pdf',
        size: 48_213,
      },
    ]);
    const bad = await call(emulator, token, 'GET', `/users/${max}/messages/${id}/attachments?$select=nope`);
    expect(bad.status).toBe(400);
  });
});
