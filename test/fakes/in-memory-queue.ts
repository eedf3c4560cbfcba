import { validateQueueMessage } from '../../shared/adapters/queue/validate-message.js';
import type { Queue, QueueName } from '../../shared/ports.js';
import type { QueueMessage } from '../../shared/queue-message.js';
import { copy } from './etags.js';

/** The Queue port in memory: validates like the real senders and records what was sent. */
export class InMemoryQueue implements Queue {
  readonly sent: { queue: QueueName; message: QueueMessage }[] = [];

  async send(queue: QueueName, message: QueueMessage): Promise<void> {
    this.sent.push({ queue, message: copy(validateQueueMessage(message)) });
  }

  /** Removes and returns what was sent to one queue, oldest first. */
  take(queue: QueueName): QueueMessage[] {
    const taken = this.sent.filter((s) => s.queue === queue).map((s) => s.message);
    const rest = this.sent.filter((s) => s.queue !== queue);
    this.sent.splice(0, this.sent.length, ...rest);
    return taken;
  }
}
