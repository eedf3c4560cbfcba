import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type {
  GraphDeltaPage,
  GraphExchangeContacts,
} from '../../../shared/adapters/graph/exchange-contacts.js';
import { SyncError } from '../../../shared/errors.js';
import { clientFor, numbered, startGraph } from './support.js';

/**
 * Delta as Outlook serves it (learn.microsoft.com/graph/delta-query-overview): sync states are
 * evicted when a cache fills, so a 410 SyncStateNotFound may come on any page
 * (microsoft-graph-docs#2350, #2877: "The sync state generation is not found"); an item may
 * come more than once; a deleted folder answers ErrorSyncFolderNotFound (alcionai/corso#1847).
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'delta2@contoso.example';
const COUNT = 30;
let folderId: string;

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph({}, { pageSize: 10 }));
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
  folderId = await exchange.defaultFolderId(MAILBOX);
  const results = await exchange.batchCreate(
    MAILBOX,
    Array.from({ length: COUNT }, (_, n) => ({ folderId, fields: numbered(n), linkId: `link-${n}` })),
  );
  expect(results.filter((r) => !r.ok)).toEqual([]);
});

/** Reads a round, running `between(n)` after the n-th page was handed out. */
async function round(
  deltaLink: string | null,
  between: (pageNumber: number) => Promise<void> = async () => {},
): Promise<GraphDeltaPage[]> {
  const pages: GraphDeltaPage[] = [];
  for await (const page of exchange.delta(MAILBOX, folderId, deltaLink)) {
    pages.push(page);
    await between(pages.length);
  }
  return pages;
}

const expire = () => emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: MAILBOX });

describe('delta rounds as they come', () => {
  it('a 410 in the middle of a round restarts it; the pages from then on are flagged and list everything', async () => {
    const pages = await round(null, async (n) => {
      if (n === 1) await expire();
    });
    expect(pages[0]?.restarted).toBe(false);
    const after = pages.slice(1);
    expect(after.every((p) => p.restarted)).toBe(true);
    expect(new Set(after.flatMap((p) => p.upserts.map((c) => c.id))).size).toBe(COUNT);
    expect(pages.at(-1)?.deltaLink).toEqual(expect.any(String));
  });

  it('restarts again when the restarted round is evicted too', async () => {
    const pages = await round(null, async (n) => {
      if (n === 1 || n === 2) await expire();
    });
    expect(pages.at(-1)?.restarted).toBe(true);
    expect(pages.at(-1)?.deltaLink).toEqual(expect.any(String));
    const lastRestart = pages.length - Math.ceil(COUNT / 10);
    const full = pages.slice(lastRestart).flatMap((p) => p.upserts.map((c) => c.id));
    expect(new Set(full).size).toBe(COUNT);
  });

  it('an item Graph sends again comes out once per page, as an upsert', async () => {
    await emulator.admin.fault({ kind: 'repeatDeltaItems', count: 2 });
    const pages = await round(null);
    for (const page of pages) {
      const ids = page.upserts.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(page.removedIds.filter((id) => ids.includes(id))).toEqual([]);
    }
    const all = pages.flatMap((p) => p.upserts.map((c) => c.id));
    expect(new Set(all).size).toBe(COUNT);
  });

  it('a deleted folder answers notFound ErrorSyncFolderNotFound', async () => {
    const created = (await clientFor(emulator)
      .api(`/users/${MAILBOX}/contactFolders`)
      .post({ displayName: 'Kunden' })) as { id: string };
    let link: string | undefined;
    for await (const page of exchange.delta(MAILBOX, created.id, null)) link = page.deltaLink ?? link;
    await clientFor(emulator).api(`/users/${MAILBOX}/contactFolders/${created.id}`).delete();
    const error = await (async () => {
      for await (const _ of exchange.delta(MAILBOX, created.id, link ?? null)) {
        // no page: the folder is gone
      }
    })().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'notFound', code: 'ErrorSyncFolderNotFound' });
  });
});
