import type { ServiceBusMessage } from '@azure/service-bus';
import { SyncError, toError } from '../../errors.js';
import type { Queue, QueueName } from '../../ports.js';
import type { QueueMessage } from '../../queue-message.js';
import { validateQueueMessage } from './validate-message.js';

/** The part of a Service Bus sender we use; `ServiceBusClient` satisfies SenderFactory. */
export interface MessageSender {
  sendMessages(message: ServiceBusMessage): Promise<void>;
  close(): Promise<void>;
}

export interface SenderFactory {
  createSender(queueName: string): MessageSender;
}

// Codes the SDK documents as worth retrying (ServiceBusError.code); everything else is final.
const TRANSIENT_CODES = new Set([
  'ServiceBusy',
  'ServiceTimeout',
  'ServiceCommunicationProblem',
  'GeneralError',
]);
const AUTH_CODES = new Set(['UnauthorizedAccess']);

export function toServiceBusSyncError(thrown: unknown, queue: string): SyncError {
  const error = toError(thrown);
  const code = (error as { code?: unknown }).code;
  const name = typeof code === 'string' ? code : 'ServiceBusError';
  const retryable = (error as { retryable?: unknown }).retryable === true;
  const kind = AUTH_CODES.has(name)
    ? 'auth'
    : retryable || TRANSIENT_CODES.has(name)
      ? 'transient'
      : 'permanent';
  return new SyncError(kind, name, `Service Bus: sending to ${queue} failed (${name})`, { cause: error });
}

/**
 * The Queue port on Service Bus (production). The session-enabled queues serialise work per
 * `sessionKey` (sessionId) and duplicate detection drops repeats of a `dedupeId` (messageId),
 * see graph-azure-facts.md section 9. One sender per queue, created on first use.
 */
export class ServiceBusQueue implements Queue {
  private readonly senders = new Map<string, MessageSender>();

  constructor(
    private readonly client: SenderFactory,
    private readonly queueNames: Partial<Record<QueueName, string>> = {},
  ) {}

  async send(queue: QueueName, message: QueueMessage): Promise<void> {
    const valid = validateQueueMessage(message);
    const name = this.queueNames[queue] ?? queue;
    let sender = this.senders.get(name);
    if (sender === undefined) {
      sender = this.client.createSender(name);
      this.senders.set(name, sender);
    }
    try {
      await sender.sendMessages({
        body: valid,
        contentType: 'application/json',
        sessionId: valid.sessionKey,
        messageId: valid.dedupeId,
        subject: valid.kind,
      });
    } catch (thrown) {
      throw toServiceBusSyncError(thrown, name);
    }
  }

  async close(): Promise<void> {
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(senders.map((sender) => sender.close()));
  }
}
