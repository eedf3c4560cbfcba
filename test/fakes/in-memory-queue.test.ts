import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../shared/errors.js';
import type { QueueMessage } from '../../shared/queue-message.js';
import { InMemoryQueue } from './in-memory-queue.js';

const message: QueueMessage = {
  v: 1,
  kind: 'reconcile',
  full: true,
  sessionKey: 'a',
  dedupeId: 'd1',
  accountId: 'a',
};

describe('InMemoryQueue', () => {
  it('records valid messages per queue and refuses invalid ones like the real senders', async () => {
    const queue = new InMemoryQueue();
    await queue.send('exchange-to-crm', message);
    await queue.send('crm-to-exchange', { ...message, dedupeId: 'd2' });
    const error = await queue.send('exchange-to-crm', { ...message, dedupeId: '' }).catch((e: unknown) => e);
    expect(isSyncError(error, 'invalid')).toBe(true);
    expect(queue.take('exchange-to-crm')).toEqual([message]);
    expect(queue.sent).toEqual([{ queue: 'crm-to-exchange', message: { ...message, dedupeId: 'd2' } }]);
  });
});
