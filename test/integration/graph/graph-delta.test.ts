import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type {
  GraphDeltaPage,
  GraphExchangeContacts,
} from '../../../shared/adapters/graph/exchange-contacts.js';
import { numbered, startGraph } from './support.js';

let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'delta@contoso.example';
const COUNT = 2000;
let folderId: string;

async function collect(iterable: AsyncIterable<GraphDeltaPage>): Promise<GraphDeltaPage[]> {
  const pages: GraphDeltaPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

const ids = (pages: GraphDeltaPage[]) => pages.flatMap((p) => p.upserts.map((c) => c.id));

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph({}, { pageSize: 500 }));
  emulator.admin.createMailbox({ mail: MAILBOX });
  folderId = await exchange.defaultFolderId(MAILBOX);
  const results = await exchange.batchCreate(
    MAILBOX,
    Array.from({ length: COUNT }, (_, n) => ({ folderId, fields: numbered(n), linkId: `link-${n}` })),
  );
  expect(results.filter((r) => !r.ok)).toEqual([]);
});
afterAll(() => emulator.stop());

describe('delta rounds against the Graph emulator', () => {
  let deltaLink: string;

  it('pages through a full round of 2,000 contacts with maxpagesize, deltaLink on the last page only', async () => {
    emulator.admin.clearRequests();
    const pages = await collect(exchange.delta(MAILBOX, folderId, null));
    expect(pages).toHaveLength(4);
    expect(pages.map((p) => p.upserts.length)).toEqual([500, 500, 500, 500]);
    expect(new Set(ids(pages)).size).toBe(COUNT);
    expect(pages.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
    expect(pages.every((p) => !p.restarted && p.skipped.length === 0)).toBe(true);
    expect(pages.at(-1)?.deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/.*deltatoken=/);
    const first = pages[0]?.upserts[0];
    expect(first).toMatchObject({
      givenName: expect.stringMatching(/^Person/),
      changeKey: expect.any(String),
    });
    expect(emulator.admin.requests().byRoute).toEqual({
      'GET /users/{m}/contactFolders/{f}/contacts/delta': 4,
    });
    deltaLink = pages.at(-1)?.deltaLink ?? '';
  });

  it('then returns only the changes: updates as upserts, deletions as removedIds', async () => {
    const [a, b, c] = ids(await collect(exchange.delta(MAILBOX, folderId, null))).slice(0, 3) as [
      string,
      string,
      string,
    ];
    await exchange.update(MAILBOX, a, { jobTitle: 'Makler' });
    await exchange.delete(MAILBOX, b);
    const created = await exchange.create(MAILBOX, folderId, numbered(9999), 'link-9999');
    const pages = await collect(exchange.delta(MAILBOX, folderId, deltaLink));
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page?.upserts.map((u) => u.id).sort()).toEqual([a, created.id].sort());
    expect(page?.upserts.find((u) => u.id === a)?.jobTitle).toBe('Makler');
    expect(page?.removedIds).toEqual([b]);
    expect(page?.restarted).toBe(false);
    expect(page?.upserts.some((u) => u.id === c)).toBe(false);
    deltaLink = page?.deltaLink ?? '';
    expect(deltaLink).not.toBe('');
  });

  it('restarts from a full round when the stored delta token has expired', async () => {
    await emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: MAILBOX });
    const pages = await collect(exchange.delta(MAILBOX, folderId, deltaLink));
    expect(pages.every((p) => p.restarted)).toBe(true);
    expect(new Set(ids(pages)).size).toBe(COUNT); // 2,000 - 1 deleted + 1 created
    expect(pages.at(-1)?.deltaLink).toEqual(expect.any(String));
    const log = emulator.admin.requests();
    expect(log.byStatus['410']).toBe(1);
  });
});
