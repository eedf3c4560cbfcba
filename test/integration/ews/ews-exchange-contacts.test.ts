import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsThrottledError } from '../../../shared/adapters/ews/classify-ews-error.js';
import type { EwsDeltaPage } from '../../../shared/adapters/ews/contact-sync.js';
import type { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { isSyncError } from '../../../shared/errors.js';
import { fields } from './contacts.contract.js';
import { ewsAdapter, MAILBOX, PASSWORD, seed, startEws } from './support.js';

/** What only the EWS adapter does: SyncFolderItems/GetItem sizes, folders, Body, errors, concurrency. */
let emulator: RunningEwsEmulator;
let exchange: EwsExchangeContacts;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(async () => {
  exchange?.close();
  await emulator.stop();
});
beforeEach(() => {
  seed(emulator);
  exchange?.close();
  exchange = ewsAdapter(emulator);
});

async function collect(round: AsyncIterable<EwsDeltaPage>): Promise<EwsDeltaPage[]> {
  const pages: EwsDeltaPage[] = [];
  for await (const page of round) pages.push(page);
  return pages;
}

describe('EwsExchangeContacts', () => {
  it('syncs 1,100 contacts with 512 changes a SyncFolderItems and GetItem batches of 50', async () => {
    for (let i = 0; i < 1100; i++) emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: `P${i}` } });
    const folderId = await exchange.defaultFolderId(MAILBOX);
    emulator.admin.log.length = 0;
    const pages = await collect(exchange.delta(MAILBOX, folderId, null));
    expect(pages.map((p) => p.upserts.length)).toEqual([512, 512, 76]);
    expect(pages.map((p) => p.deltaLink !== undefined)).toEqual([false, false, true]);
    const ops = emulator.admin.requests().byOperation;
    expect(ops['SyncFolderItems']).toBe(3);
    expect(ops['GetItem']).toBe(11 + 11 + 2);
  });

  it('resumes a cut-off round from the SyncState of its last processed page', async () => {
    for (let i = 0; i < 5; i++) emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: `P${i}` } });
    const small = ewsAdapter(emulator, { pageSize: 2 });
    const folderId = await small.defaultFolderId(MAILBOX);
    const round = small.delta(MAILBOX, folderId, null);
    const first = (await round.next()).value as EwsDeltaPage;
    await round.return(undefined); // the function run ends here
    const rest = await collect(small.delta(MAILBOX, folderId, first.resumeCursor));
    const names = [...first.upserts, ...rest.flatMap((p) => p.upserts)].map((c) => c.givenName);
    expect(names.sort()).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
    expect(rest.every((p) => !p.restarted)).toBe(true);
    small.close();
  });

  it('lists IPF.Contact folders and their subfolders, never hidden ones or mail folders', async () => {
    const kunden = emulator.admin.addFolder(MAILBOX, 'Kunden');
    const folders = await exchange.listFolders(MAILBOX);
    expect(folders.map((f) => f.displayName).sort()).toEqual(['Contacts', 'Kunden']);
    expect(folders.map((f) => f.id)).toContain(kunden);
  });

  it('never reads or writes the Body (the notes), and keeps what it does not map', async () => {
    const item = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Nora', Body: 'Notizen der Maklerin', DisplayName: 'Nora' },
      phones: { CarPhone: '+4930999' },
    });
    const current = await exchange.get(MAILBOX, item.id);
    expect(JSON.stringify(current)).not.toContain('Notizen');
    await exchange.update(
      MAILBOX,
      item.id,
      { jobTitle: 'Chefin', businessPhones: ['+4930123'] },
      current?.changeKey ?? undefined,
      current ?? undefined,
    );
    const stored = emulator.admin.mailbox(MAILBOX).items.get(item.id);
    expect(stored?.data.fields['Body']).toBe('Notizen der Maklerin');
    expect(stored?.data.phones).toEqual({ CarPhone: '+4930999', BusinessPhone: '+4930123' });
  });

  it('keeps a displayName the user chose and follows a generated one', async () => {
    const chosen = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Anna', Surname: 'Alt', DisplayName: 'Anna (Notarin)' },
    });
    const generated = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Bea', Surname: 'Alt', DisplayName: 'Bea Alt' },
    });
    for (const id of [chosen.id, generated.id]) {
      const current = await exchange.get(MAILBOX, id);
      await exchange.update(
        MAILBOX,
        id,
        { surname: 'Neu' },
        current?.changeKey ?? undefined,
        current ?? undefined,
      );
    }
    expect((await exchange.get(MAILBOX, chosen.id))?.displayName).toBe('Anna (Notarin)');
    expect((await exchange.get(MAILBOX, generated.id))?.displayName).toBe('Bea Neu');
  });

  it('reads a contact Outlook moved to Deleted Items as gone', async () => {
    const item = emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Weg' } });
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const first = await collect(exchange.delta(MAILBOX, folderId, null));
    emulator.admin.outlookDelete(MAILBOX, item.id);
    expect(await exchange.get(MAILBOX, item.id)).toBeNull();
    const changes = await collect(exchange.delta(MAILBOX, folderId, first.at(-1)?.deltaLink ?? null));
    expect(changes.flatMap((p) => p.removedIds)).toEqual([item.id]);
  });

  it('reports our own create that no SyncFolderItems listed and that is gone as removed, until a round starts from a state after that report', async () => {
    // The SyncState never listed them, so Exchange reports neither their Create nor their Delete
    // (uncovered-ids.ts): the round's last page does, after a GetItem of the ones it did not list.
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const start = (await collect(exchange.delta(MAILBOX, folderId, null))).at(-1)?.deltaLink ?? null;
    const deleted = await exchange.create(MAILBOX, folderId, fields({ givenName: 'Weg' }), 'link-a');
    const moved = await exchange.create(MAILBOX, folderId, fields({ givenName: 'Fort' }), 'link-b');
    const kept = await exchange.create(MAILBOX, folderId, fields({ givenName: 'Da' }), 'link-c');
    emulator.admin.outlookDelete(MAILBOX, deleted.id, true);
    emulator.admin.outlookMove(MAILBOX, moved.id, emulator.admin.addFolder(MAILBOX, 'Kunden'));
    emulator.admin.log.length = 0;
    const round = await collect(exchange.delta(MAILBOX, folderId, start));
    expect(round.flatMap((p) => p.removedIds).sort()).toEqual([deleted.id, moved.id].sort());
    expect(round.flatMap((p) => p.upserts.map((c) => c.id))).toEqual([kept.id]);
    // The round listed `kept` itself; only the two it did not list were read, in one GetItem.
    expect(emulator.admin.requests().byOperation['GetItem']).toBe(2);
    // The engine did not store that round's state (a crash): the report comes again.
    const retried = await collect(exchange.delta(MAILBOX, folderId, start));
    expect(retried.flatMap((p) => p.removedIds).sort()).toEqual([deleted.id, moved.id].sort());
    // It did: the next round reports nothing and reads nothing.
    emulator.admin.log.length = 0;
    const next = await collect(exchange.delta(MAILBOX, folderId, retried.at(-1)?.deltaLink ?? null));
    expect(next.flatMap((p) => [...p.removedIds, ...p.upserts.map((c) => c.id)])).toEqual([]);
    expect(emulator.admin.requests().byOperation['GetItem']).toBeUndefined();
  });

  it('reports a contact a round listed, whose state the engine did not store, as removed once it is gone', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const start = (await collect(exchange.delta(MAILBOX, folderId, null))).at(-1)?.deltaLink ?? null;
    const item = emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Neu' } });
    const listed = await collect(exchange.delta(MAILBOX, folderId, start));
    expect(listed.flatMap((p) => p.upserts.map((c) => c.id))).toEqual([item.id]);
    // That round failed before its state was stored; the user deletes the contact meanwhile.
    emulator.admin.outlookDelete(MAILBOX, item.id, true);
    const retried = await collect(exchange.delta(MAILBOX, folderId, start));
    expect(retried.flatMap((p) => p.removedIds)).toEqual([item.id]);
  });

  it('forgets an own create that a round from a state it did not issue left unlisted and that still exists', async () => {
    // The state came from elsewhere (another host process polled): a complete round that did not
    // list an existing contact started from a state that already knows it, so its delete would be
    // reported; nothing to check any more.
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const created = await exchange.create(MAILBOX, folderId, fields(), 'link-d');
    const other = ewsAdapter(emulator);
    const elsewhere = (await collect(other.delta(MAILBOX, folderId, null))).at(-1)?.deltaLink ?? null;
    other.close();
    emulator.admin.log.length = 0;
    const round = await collect(exchange.delta(MAILBOX, folderId, elsewhere));
    expect(round.flatMap((p) => [...p.removedIds, ...p.upserts.map((c) => c.id)])).toEqual([]);
    expect(emulator.admin.requests().byOperation['GetItem']).toBe(1);
    emulator.admin.outlookDelete(MAILBOX, created.id, true);
    emulator.admin.log.length = 0;
    const after = await collect(exchange.delta(MAILBOX, folderId, round.at(-1)?.deltaLink ?? null));
    expect(after.flatMap((p) => p.removedIds)).toEqual([created.id]); // Exchange's own Delete
    expect(emulator.admin.requests().byOperation['GetItem']).toBeUndefined();
  });

  it('throws ErrorServerBusy as `throttled` with the back-off Exchange asked for', async () => {
    emulator.admin.addFault({ kind: 'serverBusy', backOffMs: 4321, operation: 'GetFolder' });
    const error = await exchange.defaultFolderId(MAILBOX).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EwsThrottledError);
    expect(error).toMatchObject({ kind: 'throttled', code: 'ErrorServerBusy', retryAfterMs: 4321 });
  });

  it('restarts the round when ErrorInvalidSyncStateData comes in the middle of it', async () => {
    for (let i = 0; i < 3; i++) emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: `P${i}` } });
    const small = ewsAdapter(emulator, { pageSize: 2 });
    const folderId = await small.defaultFolderId(MAILBOX);
    const round = small.delta(MAILBOX, folderId, null);
    const first = (await round.next()).value as EwsDeltaPage;
    emulator.admin.addFault({ kind: 'invalidSyncState', operation: 'SyncFolderItems' });
    const rest: EwsDeltaPage[] = [];
    for await (const page of round) rest.push(page);
    expect(first.restarted).toBe(false);
    expect(rest.every((p) => p.restarted)).toBe(true);
    expect(rest.flatMap((p) => p.upserts).length).toBe(3);
    small.close();
  });

  it('answers a wrong password with `auth`, and has no subscriptions (the account is polled)', async () => {
    const wrong = ewsAdapter(emulator, {}, 'not-the-password');
    const error = await wrong.listFolders(MAILBOX).catch((e: unknown) => e);
    wrong.close();
    expect(isSyncError(error, 'auth')).toBe(true);
    expect(String((error as Error).message)).not.toContain(PASSWORD);
    expect(exchange.subscriptions).toBeUndefined();
  });

  it('has at most two requests in flight per mailbox', async () => {
    const items = Array.from({ length: 6 }, (_, i) =>
      emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: `C${i}` } }),
    );
    await exchange.listFolders(MAILBOX);
    emulator.admin.latencyMs = 30;
    emulator.admin.maxInFlight = 0;
    const read = await Promise.all(items.map((i) => exchange.get(MAILBOX, i.id)));
    expect(read.map((c) => c?.givenName)).toEqual(['C0', 'C1', 'C2', 'C3', 'C4', 'C5']);
    expect(emulator.admin.maxInFlight).toBe(2);
  });

  it('creates into a subfolder and a retried create finds the first one by its marker', async () => {
    const folder = emulator.admin.addFolder(MAILBOX, 'Kunden');
    const created = await exchange.create(MAILBOX, folder, fields(), 'link-sub');
    expect(created.parentFolderId).toBe(folder);
    emulator.admin.addFault({ kind: 'timeout', delayMs: 10, operation: 'CreateItem' });
    const slow = ewsAdapter(emulator, { timeoutMs: 2000 });
    const again = await slow.create(MAILBOX, folder, fields(), 'link-sub');
    slow.close();
    // The answer never came: before the error stands, the contact with this marker is looked up
    // and found, so it is not made twice.
    expect(again.id).toBe(created.id);
    expect(emulator.admin.contacts(MAILBOX)).toHaveLength(1);
  });
});
