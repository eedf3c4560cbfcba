import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { admin, person, receive, round } from './mail-support.js';
import { accessToken, call } from './support.js';

/**
 * Mail between the emulator's mailboxes and from outside:
 * - "user: sendMail" (learn.microsoft.com/graph/api/user-sendmail): 202 Accepted, no body;
 *   "This method saves the message in the Sent Items folder" unless saveToSentItems is false;
 *   example 1 (to + cc, saveToSentItems "false") and example 2 (custom x- headers) as written;
 * - each recipient mailbox gets an Inbox copy with the same internetMessageId and
 *   conversationId; bcc only in the sender's copy (issue 17, item 4);
 * - users with proxyAddresses ("user resource type"), aliases receive mail too;
 * - `POST /_emulator/users/{id}/messages/receive`: mail from outside with its fields and headers.
 */

let emulator: RunningGraphEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  for (const mail of ['me@contoso.com', 'frannis@contoso.com', 'danas@contoso.com', 'AlexW@contoso.com']) {
    emulator.admin.createMailbox({ mail, displayName: mail.split('@')[0] });
  }
});

const messagesOf = async (user: string) =>
  (await admin(emulator, 'GET', `/users/${user}/messages`)).body['value'] as Record<string, unknown>[];
const folderOf = async (user: string, name: string) =>
  (await call(emulator, token, 'GET', `/users/${user}/mailFolders/${name}`)).body['id'];

describe('user: sendMail', () => {
  it('example 1: to + cc, saveToSentItems "false" → 202, Inbox copies only', async () => {
    const response = await call(emulator, token, 'POST', '/users/me@contoso.com/sendMail', {
      body: {
        message: {
          subject: 'Meet for lunch?',
          body: { contentType: 'Text', content: 'The new cafeteria is open.' },
          toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }],
          ccRecipients: [{ emailAddress: { address: 'danas@contoso.com' } }],
        },
        saveToSentItems: 'false',
      },
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({});
    expect(await messagesOf('me@contoso.com')).toEqual([]);
    for (const user of ['frannis@contoso.com', 'danas@contoso.com']) {
      const [copy] = await messagesOf(user);
      expect(copy).toMatchObject({
        subject: 'Meet for lunch?',
        parentFolderId: await folderOf(user, 'inbox'),
        from: person('me@contoso.com', 'me'),
        isRead: false,
        isDraft: false,
        bodyPreview: 'The new cafeteria is open.',
      });
    }
  });

  it('example 2: custom x- headers arrive with the recipient copy; other headers are refused', async () => {
    const headers = [
      { name: 'x-custom-header-group-name', value: 'Nevada' },
      { name: 'x-custom-header-group-id', value: 'NV001' },
    ];
    const response = await call(emulator, token, 'POST', '/users/me@contoso.com/sendMail', {
      body: {
        message: {
          subject: '9/9/2018: concert',
          body: { contentType: 'HTML', content: 'The group represents Nevada.' },
          toRecipients: [{ emailAddress: { address: 'AlexW@contoso.com' } }],
          internetMessageHeaders: headers,
        },
      },
    });
    expect(response.status).toBe(202);
    const [copy] = (
      await round(
        emulator,
        token,
        '/users/AlexW@contoso.com/mailFolders/inbox/messages/delta?$select=internetMessageHeaders,internetMessageId',
      )
    ).items;
    expect(copy!['internetMessageHeaders']).toEqual(expect.arrayContaining(headers));
    expect(copy!['internetMessageHeaders']).toEqual(
      expect.arrayContaining([{ name: 'Message-ID', value: copy!['internetMessageId'] }]),
    );
    const refused = await call(emulator, token, 'POST', '/users/me@contoso.com/sendMail', {
      body: {
        message: {
          toRecipients: [person('AlexW@contoso.com')],
          internetMessageHeaders: [{ name: 'List-Id', value: 'x' }],
        },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'InvalidInternetMessageHeader' } });
    const none = await call(emulator, token, 'POST', '/users/me@contoso.com/sendMail', {
      body: { message: { subject: 'x' } },
    });
    expect(none.body).toMatchObject({ error: { code: 'ErrorInvalidRecipients' } });
  });

  it('Sent Items copy for the sender (with bcc), one Inbox copy per recipient (without), same ids', async () => {
    await admin(emulator, 'PUT', '/users/danas@contoso.com/proxyAddresses', {
      proxyAddresses: ['SMTP:danas@contoso.com', 'smtp:dana.swope@contoso-alias.com'],
    });
    const response = await call(emulator, token, 'POST', '/users/me@contoso.com/sendMail', {
      body: {
        message: {
          subject: 'Exposé',
          body: { contentType: 'Text', content: 'Anbei' },
          toRecipients: [person('frannis@contoso.com'), person('kunde@extern.example')],
          bccRecipients: [person('Dana.Swope@Contoso-Alias.com')],
        },
      },
    });
    expect(response.status).toBe(202);
    const [sent] = await messagesOf('me@contoso.com');
    expect(sent).toMatchObject({
      parentFolderId: await folderOf('me@contoso.com', 'sentitems'),
      isRead: true,
    });
    expect(sent!['bccRecipients']).toEqual([
      person('Dana.Swope@Contoso-Alias.com', 'Dana.Swope@Contoso-Alias.com'),
    ]);
    for (const user of ['frannis@contoso.com', 'danas@contoso.com']) {
      const copies = await messagesOf(user);
      expect(copies, user).toHaveLength(1);
      expect(copies[0]).toMatchObject({
        internetMessageId: sent!['internetMessageId'],
        conversationId: sent!['conversationId'],
        parentFolderId: await folderOf(user, 'inbox'),
        bccRecipients: [],
      });
      expect(copies[0]!['id']).not.toBe(sent!['id']);
    }
    expect(String(sent!['internetMessageId'])).toMatch(/^<[^@>]+@contoso\.com>$/);
  });

  it('serves the user with proxyAddresses when selected', async () => {
    const user = await call(emulator, token, 'GET', '/users/danas@contoso.com?$select=mail,proxyAddresses');
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({
      mail: 'danas@contoso.com',
      proxyAddresses: ['SMTP:danas@contoso.com'],
    });
    const plain = await call(emulator, token, 'GET', '/users/danas@contoso.com');
    expect(plain.body).not.toHaveProperty('proxyAddresses');
    expect((await call(emulator, token, 'GET', '/users/nobody@contoso.com')).status).toBe(404);
  });
});

describe('mail from outside (admin route)', () => {
  it('delivers with the given fields and headers into Inbox or a named folder, in bulk too', async () => {
    const received = await receive(emulator, 'frannis@contoso.com', {
      from: person('newsletter@shop.example', 'Shop'),
      ccRecipients: [person('danas@contoso.com')],
      subject: 'Angebote',
      body: { contentType: 'html', content: '<p>Nur <b>heute</b></p>' },
      internetMessageId: '<n1@shop.example>',
      internetMessageHeaders: [{ name: 'List-Unsubscribe', value: '<mailto:u@shop.example>' }],
      categories: ['Privat'],
      receivedDateTime: '2024-11-01T08:00:00Z',
      '@odata.type': '#microsoft.graph.eventMessageRequest',
    });
    expect(received.internetMessageId).toBe('<n1@shop.example>');
    const got = await call(
      emulator,
      token,
      'GET',
      `/users/frannis@contoso.com/messages/${received.id}?$select=subject,receivedDateTime,categories,internetMessageHeaders,body,toRecipients`,
      {
        headers: { prefer: 'outlook.body-content-type="text"' },
      },
    );
    expect(got.body).toMatchObject({
      '@odata.type': '#microsoft.graph.eventMessageRequest',
      subject: 'Angebote',
      receivedDateTime: '2024-11-01T08:00:00Z',
      categories: ['Privat'],
      toRecipients: [person('frannis@contoso.com', 'frannis')],
      body: { contentType: 'text', content: 'Nur heute' },
    });
    expect(got.headers.get('preference-applied')).toBe('outlook.body-content-type="text"');
    expect(got.body['internetMessageHeaders']).toEqual(
      expect.arrayContaining([{ name: 'List-Unsubscribe', value: '<mailto:u@shop.example>' }]),
    );
    expect(await messagesOf('danas@contoso.com')).toEqual([]); // only the named mailbox

    const bulk = await admin(emulator, 'POST', '/users/frannis@contoso.com/messages/receive', {
      messages: [{ from: person('a@x.example'), folder: 'junkemail' }, { from: person('b@x.example') }],
    });
    expect(bulk.status).toBe(201);
    expect((bulk.body['value'] as unknown[]).length).toBe(2);
    const junk = await call(
      emulator,
      token,
      'GET',
      '/users/frannis@contoso.com/mailFolders/junkemail/messages',
    );
    expect((junk.body['value'] as unknown[]).length).toBe(1);
    expect(
      (await admin(emulator, 'POST', '/users/frannis@contoso.com/messages/receive', { subject: 'no from' }))
        .status,
    ).toBe(400);
    expect(
      (
        await admin(emulator, 'POST', '/users/frannis@contoso.com/messages/receive', {
          from: person('a@x.example'),
          folder: 'nope',
        })
      ).status,
    ).toBe(404);
  });
});

describe('throttling shared with contacts', () => {
  it('counts mail and contact requests against one budget per app and mailbox', async () => {
    const throttled = await startGraphEmulator({
      tlsDir: inject('tlsDir'),
      throttle: { requestsPerWindow: 3, windowMs: 60_000, concurrency: 4 },
    });
    try {
      throttled.admin.createMailbox({ mail: 'me@contoso.com' });
      const t = await accessToken(throttled);
      expect((await call(throttled, t, 'GET', '/users/me@contoso.com/contacts')).status).toBe(200);
      expect((await call(throttled, t, 'GET', '/users/me@contoso.com/mailFolders')).status).toBe(200);
      expect(
        (await call(throttled, t, 'GET', '/users/me@contoso.com/mailFolders/inbox/messages/delta')).status,
      ).toBe(200);
      const fourth = await call(
        throttled,
        t,
        'GET',
        '/users/me@contoso.com/mailFolders/inbox/messages/delta',
      );
      expect(fourth.status).toBe(429);
      expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await call(throttled, t, 'GET', '/users/me@contoso.com/contacts')).status).toBe(429);
    } finally {
      await throttled.stop();
    }
  });
});
