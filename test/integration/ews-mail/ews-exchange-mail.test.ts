import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningEwsEmulator, startEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsExchangeMail, ewsMailFor } from '../../../shared/adapters/ews/mail/ews-exchange-mail.js';
import type { EwsMailDeltaPage } from '../../../shared/adapters/ews/mail/message-sync.js';
import { connectOnPremises, EwsTransports } from '../../../shared/adapters/ews/mail/transports.js';
import { isSyncError } from '../../../shared/errors.js';
import type { SecretStore } from '../../../shared/ports.js';

/**
 * What only the EWS mail adapter does (the shared behaviour is test/contract/mail.contract.ts):
 * its requests (syncfolderitems-operation.md: at most 512 changes a call, IdOnly, the fields by
 * GetItem in batches), resuming from a page's SyncState, ReadFlagChange, Exchange's throttling
 * answer, no subscriptions, and the connection built from an on-premises account and its secret.
 */
let emulator: RunningEwsEmulator;
let mail: EwsExchangeMail;
const MAILBOX = 'max@makler.example';
const PASSWORD = 'S3cret-Max!';
const connection = () => ({
  url: emulator.ewsUrl,
  credentials: { username: 'MAKLER\\max', password: PASSWORD },
  ca: emulator.caPem,
});

async function collect(round: AsyncIterable<EwsMailDeltaPage>): Promise<EwsMailDeltaPage[]> {
  const pages: EwsMailDeltaPage[] = [];
  for await (const page of round) pages.push(page);
  return pages;
}

beforeAll(async () => {
  emulator = await startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 });
  mail = new EwsExchangeMail({ connect: connection });
});
afterAll(async () => {
  mail.close();
  await emulator.stop();
});
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ smtp: MAILBOX, user: 'max', domain: 'MAKLER', password: PASSWORD });
});

const receiveMany = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    emulator.mail.receive(MAILBOX, {
      subject: `Nr ${i}`,
      body: { type: 'HTML', content: `<p>Text ${i}</p>` },
      ...(i % 10 === 0
        ? { attachments: [{ name: `a${i}.pdf`, contentType: 'application/pdf', size: 10 }] }
        : {}),
    }),
  );

describe('requests', () => {
  it('reads a 1,100-message Inbox in 3 SyncFolderItems (512 a call) and one GetItem per 50, and its bodies with attachment metadata in one GetItem per 50', async () => {
    const items = receiveMany(1100);
    emulator.admin.log.length = 0;
    const pages = await collect(mail.messageDelta(MAILBOX, 'inbox', null));
    expect(pages.map((p) => p.entries.length)).toEqual([512, 512, 76]);
    expect(pages.flatMap((p) => p.entries).every((e) => e.kind === 'message')).toBe(true);
    expect(emulator.admin.requests().byOperation).toEqual({ SyncFolderItems: 3, GetItem: 11 + 11 + 2 });

    emulator.admin.log.length = 0;
    const ids = items.slice(0, 100).map((i) => i.id);
    const withAttachments = new Set(
      items
        .slice(0, 100)
        .filter((_, i) => i % 10 === 0)
        .map((i) => i.id),
    );
    const contents = await mail.contents(MAILBOX, ids, withAttachments);
    expect(emulator.admin.requests().byOperation).toEqual({ GetItem: 2 });
    expect(contents.get(ids[0] ?? '')).toEqual({
      bodyText: 'Text 0',
      attachments: [{ name: 'a0.pdf', contentType: 'application/pdf', size: 10 }],
    });
    expect(contents.get(ids[1] ?? '')).toEqual({ bodyText: 'Text 1', attachments: [] });
  });

  it('sends at most two requests at a time for a mailbox (the EWS budget shared with Outlook)', async () => {
    const items = receiveMany(300);
    emulator.admin.latencyMs = 20;
    await mail.contents(
      MAILBOX,
      items.map((i) => i.id),
      new Set(),
    );
    expect(emulator.admin.maxInFlight).toBe(2);
  });
});

describe('the SyncState', () => {
  it('every page carries a SyncState to resume from: a round cut after its first page goes on without repeating it', async () => {
    const small = new EwsExchangeMail({ connect: connection, pageSize: 2 });
    try {
      receiveMany(5);
      const round = small.messageDelta(MAILBOX, 'inbox', null)[Symbol.asyncIterator]();
      const first = (await round.next()).value as EwsMailDeltaPage;
      expect(first.deltaLink).toBeUndefined();
      await round.return?.(undefined);
      const rest = await collect(small.messageDelta(MAILBOX, 'inbox', first.resumeCursor));
      const seen = [...first.entries, ...rest.flatMap((p) => p.entries)].map((e) =>
        e.kind === 'message' ? e.message.subject : e.kind,
      );
      expect(seen.sort()).toEqual(['Nr 0', 'Nr 1', 'Nr 2', 'Nr 3', 'Nr 4']);
      expect(rest.at(-1)?.deltaLink).toBe(rest.at(-1)?.resumeCursor);
    } finally {
      small.close();
    }
  });

  it('a change of the read flag alone (ReadFlagChange) is no entry', async () => {
    const [item] = receiveMany(1);
    const first = await collect(mail.messageDelta(MAILBOX, 'inbox', null));
    emulator.mail.markRead(MAILBOX, item?.id ?? '', true);
    const next = await collect(mail.messageDelta(MAILBOX, 'inbox', first.at(-1)?.deltaLink ?? null));
    expect(next.flatMap((p) => p.entries)).toEqual([]);
  });

  it('a message gone between SyncFolderItems and GetItem is a removal', async () => {
    const [a, b] = receiveMany(2);
    emulator.admin.log.length = 0;
    emulator.admin.latencyMs = 150; // every answer waits: time to delete while GetItem is on its way
    const page = mail.messageDelta(MAILBOX, 'inbox', null)[Symbol.asyncIterator]().next();
    while (!emulator.admin.log.some((r) => r.operation === 'SyncFolderItems'))
      await new Promise((r) => setTimeout(r, 5));
    emulator.mail.delete(MAILBOX, b?.id ?? '', true);
    const { entries } = (await page).value as EwsMailDeltaPage;
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'message', message: expect.objectContaining({ id: a?.id }) }),
      { kind: 'removed', id: b?.id, reason: 'deleted' },
    ]);
    expect(emulator.admin.log.find((r) => r.operation === 'GetItem')?.codes).toEqual([
      'NoError',
      'ErrorItemNotFound',
    ]);
  });
});

describe('errors', () => {
  it('ErrorServerBusy is throttled with the BackOffMilliseconds Exchange asked for', async () => {
    emulator.admin.addFault({ kind: 'serverBusy', backOffMs: 4321, operation: 'SyncFolderItems' });
    const error = await collect(mail.messageDelta(MAILBOX, 'inbox', null)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'throttled', code: 'ErrorServerBusy', retryAfterMs: 4321 });
  });

  it('has no subscriptions: an EWS account is polled', async () => {
    const error = await mail.getSubscription('x').catch((e: unknown) => e);
    expect(isSyncError(error, 'invalid')).toBe(true);
    expect(error).toMatchObject({ code: 'EwsHasNoSubscriptions' });
  });
});

describe('the connection of an on-premises account', () => {
  const secrets = (values: Record<string, string>): SecretStore => ({
    get: async (name) => values[name] ?? null,
    set: async () => undefined,
    delete: async () => undefined,
  });
  const account = () => ({
    ewsUrl: emulator.ewsUrl,
    username: 'MAKLER\\max',
    auth: 'ntlm' as const,
    caPem: emulator.caPem,
    secretName: 'onprem-max',
  });

  it('signs in with the password from the secret store and reads the mailbox', async () => {
    const onPremises = new EwsExchangeMail({
      connect: connectOnPremises(async () => account(), secrets({ 'onprem-max': PASSWORD })),
    });
    try {
      expect(await onPremises.ownAddresses(MAILBOX)).toEqual([MAILBOX]);
    } finally {
      onPremises.close();
    }
  });

  it("ewsMailFor builds an account's adapter from its OnPremisesConnection, as the AccountRouter does", async () => {
    const adapter = ewsMailFor(account(), secrets({ 'onprem-max': PASSWORD }), { pageSize: 1 });
    try {
      emulator.mail.receive(MAILBOX, { subject: 'eins' });
      emulator.mail.receive(MAILBOX, { subject: 'zwei' });
      const pages = await collect(adapter.messageDelta(MAILBOX, 'inbox', null));
      expect(pages.map((p) => p.entries.length)).toEqual([1, 1]);
    } finally {
      adapter.close();
    }
  });

  it("closing an adapter on shared transports leaves them open for the mailbox's other adapter", async () => {
    const shared = new EwsTransports(connection);
    const first = new EwsExchangeMail({ transports: shared });
    const second = new EwsExchangeMail({ transports: shared });
    try {
      expect(await first.ownAddresses(MAILBOX)).toEqual([MAILBOX]);
      const handshakes = () => emulator.admin.log.filter((r) => r.status === 401).length;
      const before = handshakes();
      first.close();
      expect(await second.ownAddresses(MAILBOX)).toEqual([MAILBOX]);
      // The same signed-in connection: no new NTLM handshake (its 401 challenge).
      expect(handshakes()).toBe(before);
    } finally {
      shared.close();
    }
  });

  it('a missing secret or connection is an auth error that names the mailbox and no secret; it is tried again next time', async () => {
    let stored: Record<string, string> = {};
    const onPremises = new EwsExchangeMail({
      connect: connectOnPremises(async (m) => (m === MAILBOX ? account() : null), {
        ...secrets({}),
        get: async (name) => stored[name] ?? null,
      }),
    });
    try {
      const missing = await onPremises.ownAddresses(MAILBOX).catch((e: unknown) => e);
      expect(missing).toMatchObject({ kind: 'auth', code: 'EwsPasswordMissing' });
      expect(String((missing as Error).message)).toContain(MAILBOX);
      const none = await onPremises.ownAddresses('other@makler.example').catch((e: unknown) => e);
      expect(none).toMatchObject({ kind: 'auth', code: 'EwsNotConnected' });
      stored = { 'onprem-max': PASSWORD };
      expect(await onPremises.ownAddresses(MAILBOX)).toEqual([MAILBOX]);
    } finally {
      onPremises.close();
    }
  });
});
