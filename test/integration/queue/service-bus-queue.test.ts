import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { type MessageSender, ServiceBusQueue } from '../../../shared/adapters/queue/service-bus-queue.js';
import { isSyncError } from '../../../shared/errors.js';
import type { QueueMessage } from '../../../shared/queue-message.js';

/** Records what the SDK sender would have put on the wire. */
class RecordingSenders {
  readonly sent: { queue: string; message: ServiceBusMessage }[] = [];
  readonly created: string[] = [];
  readonly closed: string[] = [];
  failWith: Error | null = null;

  createSender(queue: string): MessageSender {
    this.created.push(queue);
    return {
      sendMessages: async (message) => {
        if (this.failWith) throw this.failWith;
        this.sent.push({ queue, message });
      },
      close: async () => {
        this.closed.push(queue);
      },
    };
  }
}

const message: QueueMessage = {
  v: 1,
  kind: 'crmChanged',
  sessionKey: 'acc-1',
  dedupeId: 'crm-evt-1',
  accountId: 'acc-1',
  contactId: 'c-9',
  version: 4,
};

describe('ServiceBusQueue (no Service Bus emulator runs here: tested against a recording sender with the SDK sender interface)', () => {
  it('sets sessionId, messageId, JSON body and content type; one sender per queue', async () => {
    const senders = new RecordingSenders();
    const queue = new ServiceBusQueue(senders, { 'crm-to-exchange': 'sbq-crm-to-exchange' });
    await queue.send('crm-to-exchange', message);
    await queue.send('crm-to-exchange', { ...message, dedupeId: 'crm-evt-2' });
    await queue.send('exchange-to-crm', {
      v: 1,
      kind: 'reconcile',
      full: true,
      sessionKey: 'acc-1',
      dedupeId: 'r1',
      accountId: 'acc-1',
    });
    expect(senders.created).toEqual(['sbq-crm-to-exchange', 'exchange-to-crm']);
    expect(senders.sent[0]).toEqual({
      queue: 'sbq-crm-to-exchange',
      message: {
        body: message,
        contentType: 'application/json',
        sessionId: 'acc-1',
        messageId: 'crm-evt-1',
        subject: 'crmChanged',
      },
    });
    await queue.close();
    expect(senders.closed.sort()).toEqual(['exchange-to-crm', 'sbq-crm-to-exchange']);
  });

  it('refuses an invalid message before sending, as invalid', async () => {
    const senders = new RecordingSenders();
    const queue = new ServiceBusQueue(senders);
    const error = await queue
      .send('crm-to-exchange', { ...message, sessionKey: '' })
      .catch((e: unknown) => e);
    expect(isSyncError(error, 'invalid')).toBe(true);
    expect((error as Error).message).toMatch(/sessionKey/);
    expect(senders.sent).toEqual([]);
  });

  it('maps a busy service to transient and other failures to permanent', async () => {
    const senders = new RecordingSenders();
    const queue = new ServiceBusQueue(senders);
    senders.failWith = Object.assign(new Error('busy'), { code: 'ServiceBusy' });
    expect(
      isSyncError(await queue.send('crm-to-exchange', message).catch((e: unknown) => e), 'transient'),
    ).toBe(true);
    senders.failWith = Object.assign(new Error('too big'), { code: 'MessageSizeExceeded' });
    expect(
      isSyncError(await queue.send('crm-to-exchange', message).catch((e: unknown) => e), 'permanent'),
    ).toBe(true);
  });

  it('accepts the real ServiceBusClient as its sender factory (type and construction, no network)', async () => {
    const client = new ServiceBusClient(
      'Endpoint=sb://127.0.0.1;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true',
    );
    const queue = new ServiceBusQueue(client);
    expect(queue).toBeInstanceOf(ServiceBusQueue);
    await client.close();
  });
});
