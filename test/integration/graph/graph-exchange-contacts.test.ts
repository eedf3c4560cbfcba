import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { DEFAULT_LINK_PROPERTY_ID } from '../../../shared/adapters/graph/link-marker.js';
import { SyncError } from '../../../shared/errors.js';
import { startSubscriber } from '../../emulators/graph/support.js';
import { clientFor, fields, startGraph } from './support.js';

let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph());
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
});

describe('GraphExchangeContacts against the Graph emulator', () => {
  it('gets a token through the real client-credentials flow and reaches the mailbox', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    expect(folderId).toBe(emulator.admin.mailboxes()[0]?.defaultFolderId);
    const log = emulator.admin.requests();
    expect(log.byStatus['401'] ?? 0).toBe(0);
  });

  it('fails with `auth` on a wrong client secret, without the secret in the message', async () => {
    const wrongSecret = 'definitely-not-the-secret-42';
    const error = await failure(
      new GraphExchangeContacts({ client: clientFor(emulator, wrongSecret) }).defaultFolderId(MAILBOX),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain(wrongSecret);
    expect(error.message).not.toContain(emulator.clientSecret);
  });

  it('creates, reads, updates with changeKey and deletes', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const created = await exchange.create(
      MAILBOX,
      folderId,
      fields({
        emailAddresses: ['anna@example.de'],
        birthday: '1980-05-01',
        businessPhones: ['+4930123456'],
      }),
      'link-1',
    );
    expect(created).toMatchObject({
      givenName: 'Anna',
      surname: 'Schmidt',
      birthday: '1980-05-01',
      emailAddresses: [{ address: 'anna@example.de', name: 'anna@example.de' }],
      parentFolderId: folderId,
    });
    expect(created.changeKey).toEqual(expect.any(String));

    const read = await exchange.get(MAILBOX, created.id);
    expect(read).toMatchObject({ id: created.id, changeKey: created.changeKey, givenName: 'Anna' });

    const updated = await exchange.update(MAILBOX, created.id, { jobTitle: 'Maklerin' }, created.changeKey!);
    expect(updated).toMatchObject({ jobTitle: 'Maklerin', givenName: 'Anna' });
    expect(updated.changeKey).not.toBe(created.changeKey);

    const stale = await failure(exchange.update(MAILBOX, created.id, { jobTitle: 'x' }, created.changeKey!));
    expect(stale).toMatchObject({ kind: 'conflict', status: 412 });
    expect((await exchange.get(MAILBOX, created.id))?.jobTitle).toBe('Maklerin');

    await exchange.delete(MAILBOX, created.id);
    expect(await exchange.get(MAILBOX, created.id)).toBeNull();
    await exchange.delete(MAILBOX, created.id); // already gone: not an error
  });

  it('reports Exchange limits as `invalid` and an unknown mailbox as mailboxUnavailable, not as "no contact"', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const tooMany = fields({ emailAddresses: ['a@x.de', 'b@x.de', 'c@x.de', 'd@x.de'] });
    expect(await failure(exchange.create(MAILBOX, folderId, tooMany, 'l'))).toMatchObject({
      kind: 'invalid',
      status: 400,
    });
    const unknown = await failure(exchange.get('nobody@contoso.example', 'AAMk'));
    expect(unknown).toMatchObject({ kind: 'mailboxUnavailable', code: 'ErrorInvalidUser' });
  });

  it('marks what it creates and finds it again by link id, in any folder', async () => {
    const defaultId = await exchange.defaultFolderId(MAILBOX);
    const inDefault = await exchange.create(MAILBOX, defaultId, fields(), 'link-default');
    // The admin view shows regular ids; the adapter asks for immutable ones. One contact so far.
    const stored = emulator.admin.contacts(MAILBOX).find((c) => c['givenName'] === 'Anna');
    expect(stored?.['singleValueExtendedProperties']).toEqual([
      { id: DEFAULT_LINK_PROPERTY_ID, value: 'link-default' },
    ]);
    expect(await exchange.findByLinkId(MAILBOX, 'link-default')).toMatchObject({ id: inDefault.id });

    const folder = await createFolder('Kunden');
    const inOther = await exchange.create(MAILBOX, folder, fields({ givenName: 'Bert' }), "link-o'brien");
    expect(await exchange.findByLinkId(MAILBOX, "link-o'brien")).toMatchObject({ id: inOther.id });
    expect(await exchange.findByLinkId(MAILBOX, 'link-none')).toBeNull();

    const read = await exchange.get(MAILBOX, inDefault.id);
    expect(read?.singleValueExtendedProperties).toEqual([
      { id: DEFAULT_LINK_PROPERTY_ID, value: 'link-default' },
    ]);
  });

  it('lists the default folder and every folder below it', async () => {
    const kunden = await createFolder('Kunden');
    await createFolder('Berlin', kunden);
    const folders = await exchange.listFolders(MAILBOX);
    expect(folders.map((f) => f.displayName).sort()).toEqual(['Berlin', 'Contacts', 'Kunden'].sort());
    expect(folders[0]?.id).toBe(await exchange.defaultFolderId(MAILBOX));
  });

  // A contact's @odata.etag is W/"<changeKey>"; a stale one answers 412 ErrorIrresolvableConflict
  // "the change key passed in the request does not match the current change key for the item"
  // (msgraph-sdk-dotnet#1201: Status Code: PreconditionFailed).
  it('deletes conditionally: a stale changeKey is a conflict and keeps the contact, the current one deletes', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const created = await exchange.create(MAILBOX, folderId, fields(), 'link-d');
    const edited = await exchange.update(MAILBOX, created.id, { jobTitle: 'edited in Outlook' });
    const stale = await failure(exchange.delete(MAILBOX, created.id, created.changeKey ?? undefined));
    expect(stale).toMatchObject({ kind: 'conflict', status: 412 });
    expect((await exchange.get(MAILBOX, created.id))?.jobTitle).toBe('edited in Outlook');
    await exchange.delete(MAILBOX, created.id, edited.changeKey ?? undefined);
    expect(await exchange.get(MAILBOX, created.id)).toBeNull();
    // Gone already: a conditional delete of it is done, not a conflict.
    await exchange.delete(MAILBOX, created.id, edited.changeKey ?? undefined);
  });

  // "contact: permanentDelete" (v1.0, https://learn.microsoft.com/graph/api/contact-permanentdelete):
  // POST, no body, 204; past Deleted Items. The sync's removal of its own surplus copy. The page
  // documents no If-Match, so the condition comes from a conditional DELETE first (then the
  // contact, under its immutable id, is purged from Deleted Items).
  it('deletes permanently: a conditional DELETE, then POST …/permanentDelete; nothing left in Deleted Items', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const created = await exchange.create(MAILBOX, folderId, fields(), 'link-p');
    const edited = await exchange.update(MAILBOX, created.id, { jobTitle: 'edited in Outlook' });
    const stale = await failure(
      exchange.delete(MAILBOX, created.id, created.changeKey ?? undefined, { permanent: true }),
    );
    expect(stale).toMatchObject({ kind: 'conflict', status: 412 });
    expect((await exchange.get(MAILBOX, created.id))?.jobTitle).toBe('edited in Outlook');
    await exchange.delete(MAILBOX, created.id, edited.changeKey ?? undefined, { permanent: true });
    expect(await exchange.get(MAILBOX, created.id)).toBeNull();
    expect(emulator.admin.outlook.deletedItems(MAILBOX)).toEqual([]);
    const routes = emulator.admin.requests().entries.map((e) => [e.route, e.status]);
    const deletes = routes.filter(([route]) => /^DELETE|permanentDelete/.test(String(route)));
    expect(deletes).toEqual([
      ['DELETE /users/{m}/contacts/{id}', 412],
      ['DELETE /users/{m}/contacts/{id}', 204],
      ['POST /users/{m}/contacts/{id}/permanentDelete', 204],
    ]);
    // Gone already: done, not an error.
    await exchange.delete(MAILBOX, created.id, edited.changeKey ?? undefined, { permanent: true });
  });

  it('creates, renews and deletes a subscription', async () => {
    const hook = await startSubscriber();
    try {
      const expires = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
      const subscription = await exchange.createSubscription({
        mailbox: MAILBOX,
        notificationUrl: `${hook.base}/notify`,
        lifecycleNotificationUrl: `${hook.base}/lifecycle`,
        clientState: 'state-123',
        expirationDateTime: expires,
      });
      expect(subscription).toMatchObject({
        clientState: 'state-123',
        notificationUrl: `${hook.base}/notify`,
      });
      expect(subscription.resource.toLowerCase()).toContain('contacts');
      const later = new Date(Date.now() + 6 * 24 * 3600_000).toISOString();
      const renewed = await exchange.renewSubscription(subscription.id, later);
      expect(Date.parse(renewed.expirationDateTime)).toBe(Date.parse(later));
      // The answer to a reauthorizationRequired lifecycle event (MGDC subscription-reauthorize.md).
      await exchange.reauthorizeSubscription(subscription.id);
      expect(emulator.admin.requests().byRoute['POST /subscriptions/{id}/reauthorize']).toBe(1);
      await exchange.deleteSubscription(subscription.id);
      expect(emulator.admin.subscriptions()).toEqual([]);
      await exchange.deleteSubscription(subscription.id); // already gone: not an error
      // Reauthorizing one Graph no longer has must not pass silently: it has to be recreated.
      expect(await failure(exchange.reauthorizeSubscription(subscription.id))).toMatchObject({
        kind: 'notFound',
      });
    } finally {
      await hook.stop();
    }
  });
});

async function createFolder(displayName: string, parentId?: string): Promise<string> {
  const client = clientFor(emulator);
  const path = parentId
    ? `/users/${MAILBOX}/contactFolders/${parentId}/childFolders`
    : `/users/${MAILBOX}/contactFolders`;
  const created = (await client.api(path).post({ displayName })) as { id: string };
  return created.id;
}
