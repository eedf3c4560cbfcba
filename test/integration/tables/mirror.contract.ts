import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../../shared/errors.js';
import type { Mirror } from '../../../shared/ports.js';
import type { LogEntry } from '../../../shared/sync/link.js';
import { makeLink } from './link-fixture.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function expectKind(promise: Promise<unknown>, kind: 'conflict' | 'notFound') {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(isSyncError(error, kind), `expected a ${kind} SyncError, got ${String(error)}`).toBe(true);
}

/**
 * The Mirror contract (STYLE.md item 4): the same tests run against the in-memory fake
 * (test/fakes/in-memory-mirror.test.ts) and the Table adapter (table-mirror.test.ts), so
 * engine tests on the fake mean something for production. Each test uses fresh account ids.
 */
export function mirrorContract(name: string, makeMirror: () => Mirror | Promise<Mirror>): void {
  describe(`Mirror contract: ${name}`, () => {
    it('finds a stored link from either side and by link id', async () => {
      const mirror = await makeMirror();
      const link = makeLink();
      const etag = await mirror.put(link, null);
      for (const found of [
        await mirror.getByCrmId(link.accountId, link.crmId),
        await mirror.getByExchangeId(link.accountId, link.exchangeId),
        await mirror.getByLinkId(link.accountId, link.linkId),
      ]) {
        expect(found).toEqual({ value: link, etag });
      }
      expect(await mirror.getByCrmId('other-account', link.crmId)).toBeNull();
      expect(await mirror.getByExchangeId(link.accountId, 'unknown')).toBeNull();
    });

    it('refuses to create a link twice and to replace with a stale etag', async () => {
      const mirror = await makeMirror();
      const link = makeLink();
      const first = await mirror.put(link, null);
      await expectKind(mirror.put(link, null), 'conflict');
      const second = await mirror.put({ ...link, crmVersion: 2 }, first);
      expect(second).not.toBe(first);
      await expectKind(mirror.put({ ...link, crmVersion: 3 }, first), 'conflict');
      expect((await mirror.getByLinkId(link.accountId, link.linkId))?.value.crmVersion).toBe(2);
    });

    it('moves the lookups when the exchange id or crm id changes', async () => {
      const mirror = await makeMirror();
      const link = makeLink();
      const etag = await mirror.put(link, null);
      const moved = { ...link, exchangeId: `${link.exchangeId}/new`, crmId: `${link.crmId}-2` };
      const etag2 = await mirror.put(moved, etag);
      expect(await mirror.getByExchangeId(link.accountId, link.exchangeId)).toBeNull();
      expect(await mirror.getByCrmId(link.accountId, link.crmId)).toBeNull();
      expect(await mirror.getByExchangeId(link.accountId, moved.exchangeId)).toEqual({
        value: moved,
        etag: etag2,
      });
      expect(await mirror.getByCrmId(link.accountId, moved.crmId)).toEqual({ value: moved, etag: etag2 });
      // The old ids are free again for another link.
      await mirror.put(
        makeLink({ accountId: link.accountId, exchangeId: link.exchangeId, crmId: link.crmId }),
        null,
      );
    });

    it('lets exactly one of two racing writers win; the other gets a conflict', async () => {
      const mirror = await makeMirror();
      const link = makeLink();
      const etag = await mirror.put(link, null);
      const results = await Promise.allSettled([
        mirror.put({ ...link, crmVersion: 10, exchangeId: 'moved-by-a' }, etag),
        mirror.put({ ...link, crmVersion: 20 }, etag),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isSyncError(lost[0]?.reason, 'conflict')).toBe(true);
      const stored = await mirror.getByLinkId(link.accountId, link.linkId);
      expect(stored?.etag).toBe(won[0]?.value);
      const winner = results[0]?.status === 'fulfilled' ? 10 : 20;
      expect(stored?.value.crmVersion).toBe(winner);
      expect((await mirror.getByExchangeId(link.accountId, stored!.value.exchangeId))?.etag).toBe(
        stored?.etag,
      );
      const loserExchangeId = winner === 10 ? link.exchangeId : 'moved-by-a';
      expect(await mirror.getByExchangeId(link.accountId, loserExchangeId)).toBeNull();
    });

    it('lets only one of two racing creators claim one crm contact', async () => {
      const mirror = await makeMirror();
      const a = makeLink();
      const b = makeLink({ accountId: a.accountId, crmId: a.crmId });
      const results = await Promise.allSettled([mirror.put(a, null), mirror.put(b, null)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(isSyncError(lost?.reason, 'conflict')).toBe(true);
      const holder = await mirror.getByCrmId(a.accountId, a.crmId);
      expect([a.linkId, b.linkId]).toContain(holder?.value.linkId);
    });

    it('deletes a link with its lookups, only with the current etag', async () => {
      const mirror = await makeMirror();
      const link = makeLink();
      const etag = await mirror.put(link, null);
      const etag2 = await mirror.put({ ...link, crmVersion: 2 }, etag);
      await expectKind(mirror.delete(link, etag), 'conflict');
      await mirror.delete(link, etag2);
      expect(await mirror.getByLinkId(link.accountId, link.linkId)).toBeNull();
      expect(await mirror.getByCrmId(link.accountId, link.crmId)).toBeNull();
      expect(await mirror.getByExchangeId(link.accountId, link.exchangeId)).toBeNull();
      expect(await collect(mirror.list(link.accountId))).toEqual([]);
      await expectKind(mirror.delete(link, etag2), 'notFound');
      await mirror.put(link, null); // the same link id can be created again
    });

    it("lists exactly one account's links", async () => {
      const mirror = await makeMirror();
      const a1 = makeLink();
      const a2 = makeLink({ accountId: a1.accountId });
      const other = makeLink();
      for (const link of [a1, a2, other]) await mirror.put(link, null);
      const listed = await collect(mirror.list(a1.accountId));
      expect(listed.map((l) => l.linkId).sort()).toEqual([a1.linkId, a2.linkId].sort());
    });

    it("reads one contact's log in time order, then append order", async () => {
      const mirror = await makeMirror();
      const account = makeLink().accountId;
      const entry = (contactKey: string, at: string, action: string): LogEntry => ({
        contactKey,
        at,
        level: 'info',
        action,
        detail: `${action} detail`,
      });
      await mirror.appendLog(account, [
        entry('crm:1', '2025-06-01T10:00:02.000Z', 'third'),
        entry('crm:10', '2025-06-01T10:00:00.000Z', 'other contact'),
        entry('crm:1', '2025-06-01T10:00:01.000Z', 'first'),
      ]);
      await mirror.appendLog(account, [
        entry('crm:1', '2025-06-01T10:00:01.000Z', 'second'),
        entry('crm:1', '2025-06-01T10:00:03.000Z', 'fourth'),
      ]);
      const log = await mirror.readLog(account, 'crm:1');
      expect(log.map((e) => e.action)).toEqual(['first', 'second', 'third', 'fourth']);
      expect(log[0]).toEqual(entry('crm:1', '2025-06-01T10:00:01.000Z', 'first'));
      expect(await mirror.readLog(account, 'crm:2')).toEqual([]);
      expect(await mirror.readLog('someone-else', 'crm:1')).toEqual([]);
    });

    const logEntry = (contactKey: string, at: string): LogEntry => ({
      contactKey,
      at,
      level: 'info',
      action: 'updatedCrm',
      detail: `at ${at}`,
    });

    it("reads one contact's log across months, in time order", async () => {
      const mirror = await makeMirror();
      const account = makeLink().accountId;
      await mirror.appendLog(account, [
        logEntry('crm:1', '2025-08-02T10:00:00.000Z'),
        logEntry('crm:1', '2025-06-30T23:59:59.999Z'),
        logEntry('crm:2', '2025-07-15T10:00:00.000Z'),
        logEntry('crm:1', '2025-07-01T00:00:00.000Z'),
      ]);
      expect((await mirror.readLog(account, 'crm:1')).map((e) => e.at)).toEqual([
        '2025-06-30T23:59:59.999Z',
        '2025-07-01T00:00:00.000Z',
        '2025-08-02T10:00:00.000Z',
      ]);
    });

    it('removes log entries older than a cutoff, at most `limit` per call, and only of that account', async () => {
      const mirror = await makeMirror();
      const account = makeLink().accountId;
      const other = makeLink().accountId;
      const old = ['2025-01-05T00:00:00.000Z', '2025-02-10T00:00:00.000Z', '2025-03-01T08:00:00.000Z'];
      const kept = ['2025-03-01T12:00:00.000Z', '2025-04-01T00:00:00.000Z'];
      await mirror.appendLog(
        account,
        [...old, ...kept].map((at, i) => logEntry(`crm:${i % 2}`, at)),
      );
      await mirror.appendLog(other, [logEntry('crm:0', old[0] ?? '')]);
      const cutoff = new Date('2025-03-01T10:00:00.000Z');

      expect(await mirror.pruneLog(account, cutoff, 2)).toBe(2);
      expect(await mirror.pruneLog(account, cutoff, 2)).toBe(1);
      expect(await mirror.pruneLog(account, cutoff, 2)).toBe(0);

      const left = [...(await mirror.readLog(account, 'crm:0')), ...(await mirror.readLog(account, 'crm:1'))];
      expect(left.map((e) => e.at).sort()).toEqual(kept);
      expect(await mirror.readLog(other, 'crm:0')).toHaveLength(1);
    });
  });
}
