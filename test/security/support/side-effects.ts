import { QUEUE_NAMES, type QueueName } from '../../../shared/ports.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import type { TestStack } from '../../support/stack.js';

/**
 * Watches for every side effect a refused request must not have: a message sent to a queue
 * (caught at the product's own queue, before any consumer could take it), messages waiting in
 * the queues, a write reaching Graph or the CRM, a new account row.
 */
export interface SideEffects {
  /** What the product sent to its queues since the last `reset()`. */
  readonly sent: { queue: QueueName; kind: QueueMessage['kind'] }[];
  /** `METHOD path` of every Graph and CRM API write since the last `reset()`. */
  writes(): string[];
  /** Messages in both queues (in flight included). */
  pending(): Promise<number>;
  accountCount(): Promise<number>;
  /** Forgets what happened so far (call on a settled stack). */
  reset(): void;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function watchSideEffects(stack: TestStack): SideEffects {
  const sent: SideEffects['sent'] = [];
  const queue = stack.runtime.deps.queue;
  const send = queue.send.bind(queue);
  queue.send = (name, message) => {
    sent.push({ queue: name, kind: message.kind });
    return send(name, message);
  };
  return {
    sent,
    writes() {
      const graph = stack.graph.admin
        .requests()
        .entries.filter((e) => WRITE_METHODS.has(e.method))
        .map((e) => `graph ${e.method} ${e.path}`);
      const crm = stack.crm.admin
        .requests()
        .entries.filter((e) => !e.admin && WRITE_METHODS.has(e.method))
        .map((e) => `crm ${e.method} ${e.path}`);
      return [...graph, ...crm];
    },
    async pending() {
      const counts = await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)));
      return counts.reduce((a, b) => a + b, 0);
    },
    async accountCount() {
      let n = 0;
      for await (const _ of stack.runtime.deps.accounts.list()) n++;
      return n;
    },
    reset() {
      sent.length = 0;
      stack.graph.admin.clearRequests();
      stack.crm.admin.clearRequests();
    },
  };
}
