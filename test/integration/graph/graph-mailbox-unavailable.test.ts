import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../../local/emulators/graph/faults.js';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { SyncError } from '../../../shared/errors.js';
import { adapterFor, fields, startGraph } from './support.js';

/**
 * A mailbox Graph cannot read right now answers every contact route with the same error:
 * 404 MailboxNotEnabledForRESTAPI (msgraph-sdk-javascript#1756), 404 ResourceNotFound for the
 * user (microsoft-graph-docs#5143), 403 ErrorAccessDenied of an application access policy
 * (learn.microsoft.com/graph/auth-limit-mailbox-access). None of them may read as "this contact
 * is gone": `get` must not answer null, `delete` must not pass as already done.
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph({}, { budget: {} }));
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
});

async function kindOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SyncError);
  return (error as SyncError).kind;
}

/** The emulator's per-mailbox fault (issue 13); typed loosely until the emulator's Fault names it. */
function fault(input: Record<string, unknown>): Promise<void> {
  return emulator.admin.fault(input as unknown as Fault);
}

describe.each(['MailboxNotEnabledForRESTAPI', 'ResourceNotFound', 'ErrorAccessDenied'])(
  'a mailbox unavailable as %s',
  (as) => {
    it('is mailboxUnavailable for every call, nothing reads as gone, and it comes back', async () => {
      const folderId = await exchange.defaultFolderId(MAILBOX);
      const contact = await exchange.create(MAILBOX, folderId, fields(), 'link-u');

      await fault({ kind: 'mailboxUnavailable', mailbox: MAILBOX, as });
      expect(await kindOf(exchange.get(MAILBOX, contact.id))).toBe('mailboxUnavailable');
      expect(await kindOf(exchange.delete(MAILBOX, contact.id))).toBe('mailboxUnavailable');
      expect(await kindOf(exchange.update(MAILBOX, contact.id, { jobTitle: 'x' }))).toBe(
        'mailboxUnavailable',
      );
      expect(await kindOf(exchange.findByLinkId(MAILBOX, 'link-u'))).toBe('mailboxUnavailable');
      expect(await kindOf(exchange.listFolders(MAILBOX))).toBe('mailboxUnavailable');
      const round = (async () => {
        for await (const _ of exchange.delta(MAILBOX, folderId, null)) {
          // a page would mean the mailbox looked readable
        }
      })();
      expect(await kindOf(round)).toBe('mailboxUnavailable');
      const [batched] = await exchange.batchUpdate(MAILBOX, [{ id: contact.id, fields: { jobTitle: 'y' } }]);
      expect(batched).toMatchObject({ ok: false, error: { kind: 'mailboxUnavailable' } });

      await fault({ kind: 'mailboxAvailable', mailbox: MAILBOX });
      expect(await exchange.get(MAILBOX, contact.id)).toMatchObject({ id: contact.id, givenName: 'Anna' });
    });
  },
);

describe('a contact that is really gone', () => {
  it('reads as null and deletes as done', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const contact = await exchange.create(MAILBOX, folderId, fields(), 'link-g');
    await exchange.delete(MAILBOX, contact.id);
    expect(await exchange.get(MAILBOX, contact.id)).toBeNull();
    await exchange.delete(MAILBOX, contact.id);
  });

  it('a soft-deleted contact (in Deleted Items) reads as gone; telling costs one folder listing per mailbox', async () => {
    const fresh = adapterFor(emulator);
    const folderId = await fresh.defaultFolderId(MAILBOX);
    const contacts = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        fresh.create(MAILBOX, folderId, fields({ givenName: `P${n}` }), `l-${n}`),
      ),
    );
    await Promise.all(contacts.slice(0, 3).map((c) => fresh.delete(MAILBOX, c.id)));
    emulator.admin.clearRequests();
    const read = await Promise.all(contacts.map((c) => fresh.get(MAILBOX, c.id)));
    expect(read.map((c) => c?.givenName ?? null)).toEqual([null, null, null, 'P4', 'P5', 'P6']);
    expect(emulator.admin.requests().byRoute['GET /users/{m}/contactFolders']).toBe(1);
  });

  it('a mailbox the tenant does not have is unavailable, not empty', async () => {
    expect(await kindOf(exchange.get('nobody@contoso.example', 'AAMkAGI2'))).toBe('mailboxUnavailable');
    expect(await kindOf(exchange.delete('nobody@contoso.example', 'AAMkAGI2'))).toBe('mailboxUnavailable');
  });
});
