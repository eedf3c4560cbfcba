import type { QueueClient } from '@azure/storage-queue';

/**
 * Keeps one received message invisible while it waits for its session or runs, by renewing the
 * visibility timeout every third of its length (as the Functions host does for long runs), and
 * tracks the current pop receipt, which changes with every update.
 */
export interface VisibilityKeeper {
  /** Stops renewing, waits for a renewal in flight, then runs `action` with the current receipt. */
  finish(action: (popReceipt: string) => Promise<void>): Promise<void>;
}

export function keepInvisible(
  client: QueueClient,
  item: { messageId: string; popReceipt: string },
  visibilitySeconds: number,
  onError: (error: unknown) => void,
): VisibilityKeeper {
  let popReceipt = item.popReceipt;
  let stopped = false;
  let renewal = Promise.resolve();
  const timer = setInterval(
    () => {
      renewal = renewal.then(async () => {
        if (stopped) return;
        try {
          const updated = await client.updateMessage(
            item.messageId,
            popReceipt,
            undefined,
            visibilitySeconds,
          );
          popReceipt = updated.popReceipt ?? popReceipt;
        } catch (error) {
          onError(error);
        }
      });
    },
    Math.max(200, (visibilitySeconds * 1000) / 3),
  );
  return {
    async finish(action) {
      stopped = true;
      clearInterval(timer);
      await renewal;
      await action(popReceipt);
    },
  };
}
