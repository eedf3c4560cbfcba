import { type ErrorKind, SyncError } from '../../shared/errors.js';

/**
 * Request counters and fault injection shared by the in-memory Exchange and CRM fakes.
 * `failNext` makes the next calls of a method throw before they do anything (what a 5xx, a 429
 * or a 412 looks like to the caller); `crashAfterWrite` lets the next calls do their write and
 * then throw, which is what a worker sees when the connection drops after the server committed.
 * `onWritten` tells a listener of every write that was applied (the mirror's
 * `crashBeforeNextMirrorWrite` counts remote writes with it).
 */
export class FaultHooks<M extends string> {
  readonly calls = new Map<M, number>();
  private readonly failures = new Map<M, { kind: ErrorKind; left: number }>();
  private readonly crashes = new Map<M, number>();
  private readonly gates = new Map<M, () => Promise<void> | void>();
  private readonly written: ((method: M) => void)[] = [];

  /** How many times the method was called (failed calls included, as a server log counts them). */
  count(method: M): number {
    return this.calls.get(method) ?? 0;
  }

  total(methods: readonly M[]): number {
    return methods.reduce((sum, method) => sum + this.count(method), 0);
  }

  resetCounts(): void {
    this.calls.clear();
  }

  failNext(method: M, kind: ErrorKind, times = 1): void {
    this.failures.set(method, { kind, left: times });
  }

  crashAfterWrite(method: M, times = 1): void {
    this.crashes.set(method, times);
  }

  /** Counts the call and throws an injected failure, if one is due. */
  enter(method: M): void {
    this.calls.set(method, this.count(method) + 1);
    const failure = this.failures.get(method);
    if (failure === undefined || failure.left <= 0) return;
    failure.left -= 1;
    throw new SyncError(failure.kind, `Injected${failure.kind}`, `injected ${failure.kind} on ${method}`);
  }

  /**
   * Runs `hook` whenever the method is called, before it does anything (until `hook` is
   * replaced or cleared with null): to pause a caller at that await, or to change the world
   * while a worker is in the middle of its work.
   */
  onEnter(method: M, hook: (() => Promise<void> | void) | null): void {
    if (hook === null) this.gates.delete(method);
    else this.gates.set(method, hook);
  }

  /** Awaited by the fakes' methods first: the hook of `onEnter`, if any. */
  async gate(method: M): Promise<void> {
    await this.gates.get(method)?.();
  }

  /** Calls `listener` after every write of these fakes was applied (before a due crash throws). */
  onWritten(listener: (method: M) => void): void {
    this.written.push(listener);
  }

  /** Called after a write was applied: tells the listeners, then throws when a crash is due. */
  afterWrite(method: M): void {
    for (const listener of this.written) listener(method);
    const left = this.crashes.get(method) ?? 0;
    if (left <= 0) return;
    this.crashes.set(method, left - 1);
    throw new SyncError('transient', 'InjectedCrash', `connection lost after ${method} was applied`);
  }
}
