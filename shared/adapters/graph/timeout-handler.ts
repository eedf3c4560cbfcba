import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * A deadline per Graph request: the SDK has none, and a request that hangs would hold the
 * mailbox's slot (and the queue message's lock) until the host kills the invocation. An
 * aborted request reaches us as a GraphError with status -1 (`transient`), so a create that
 * timed out is looked up by its marker before it is sent again (create-retry.ts): the server
 * may well have stored it after we stopped waiting.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const own = context.options?.signal;
    context.options = { ...context.options, signal: own ? AbortSignal.any([own, deadline]) : deadline };
    if (!this.next) throw new Error('TimeoutHandler needs a next middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
