/**
 * An in-process signal from a queue's senders to its consumers: when both live in one process
 * (the local stack), a send wakes an idle consumer at once instead of after its next poll, so
 * the consumer can poll an empty queue rarely and still pick up new work without delay.
 * Consumers in other processes are not reached; they find the message at their next poll.
 */
const listeners = new Map<string, Set<() => void>>();

/** Calls `wake` whenever this process sends to the queue at `queueUrl`; returns the unsubscribe. */
export function listenForSends(queueUrl: string, wake: () => void): () => void {
  let set = listeners.get(queueUrl);
  if (!set) {
    set = new Set();
    listeners.set(queueUrl, set);
  }
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0) listeners.delete(queueUrl);
  };
}

export function ringAfterSend(queueUrl: string): void {
  for (const wake of listeners.get(queueUrl) ?? []) wake();
}
