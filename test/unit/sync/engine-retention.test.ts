import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/sync/link.js';
import { pruneActionLogs } from '../../../shared/sync/timer-jobs.js';
import { World } from './support/world.js';

/** The action log's retention (issue 14, item 12): old entries leave, a page at a time. */

const entry = (contactKey: string, at: Date): LogEntry => ({
  contactKey,
  at: at.toISOString(),
  level: 'info',
  action: 'updatedCrm',
  detail: 'fields from Outlook: lastName',
});

describe('action-log retention', () => {
  it('removes every entry older than the retention, of every account, in pages; newer ones stay', async () => {
    const world = new World();
    await world.addAccount();
    await world.addAccount({ id: 'acc-2', email: 'b@example.de', userId: 'b@example.de' });
    const now = world.clock.now().getTime();
    const day = 86_400_000;
    const old = (n: number) => new Date(now - (181 + n) * day);
    for (const account of ['acc-1', 'acc-2'])
      await world.mirror.appendLog(account, [
        ...Array.from({ length: 7 }, (_, i) => entry(`crm:${i % 3}`, old(i))),
        entry('crm:0', new Date(now - 10 * day)),
      ]);

    const removed = await pruneActionLogs(world.deps, { retentionDays: 180, pageSize: 3 });

    expect(removed).toBe(14);
    for (const account of ['acc-1', 'acc-2']) {
      expect(await world.mirror.readLog(account, 'crm:0')).toHaveLength(1);
      expect(await world.mirror.readLog(account, 'crm:1')).toEqual([]);
    }
  });
});
