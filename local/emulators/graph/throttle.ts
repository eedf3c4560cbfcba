import type { ThrottleOptions } from './types.js';

/**
 * Outlook's limits per app and mailbox: `concurrency` requests in flight and
 * `requestsPerWindow` per fixed window. Only admitted requests count, and the peaks of what
 * was admitted are kept so a test can prove a client stayed inside the limits.
 */
export interface ThrottleStats {
  key: string;
  peakConcurrency: number;
  /** The most requests admitted within one window. */
  peakPerWindow: number;
  admitted: number;
  throttled: number;
}

interface KeyState extends ThrottleStats {
  inFlight: number;
  windowStart: number;
  windowCount: number;
}

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; retryAfterSeconds: number; reason: string };

export class Throttle {
  private states = new Map<string, KeyState>();
  private limits: Required<ThrottleOptions>;

  constructor(limits: ThrottleOptions) {
    this.limits = { scope: 'mailbox', retryAfter: 'seconds', ...limits };
  }

  /** Changes limits at run time (admin fault `throttle`). */
  configure(change: Partial<ThrottleOptions>): void {
    this.limits = {
      ...this.limits,
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    };
  }

  /** The Retry-After header a 429 carries, per the configured mode; undefined = none. */
  retryAfterHeader(computedSeconds: number): string | undefined {
    if (this.limits.retryAfter === 'missing') return undefined;
    return this.limits.retryAfter === 'one' ? '1' : String(computedSeconds);
  }

  /**
   * Microsoft's pages say the 4-concurrent limit is per app and mailbox ("Outlook service
   * limits"); engineers' answers also describe it per app across mailboxes. `scope` picks one.
   */
  acquire(appId: string, mailbox: string, nowMs: number): Admission {
    const key = this.limits.scope === 'app' ? appId : `${appId}|${mailbox}`;
    const state = this.stateFor(key, nowMs);
    if (nowMs - state.windowStart >= this.limits.windowMs) {
      state.windowStart = nowMs;
      state.windowCount = 0;
    }
    if (state.inFlight >= this.limits.concurrency) {
      state.throttled++;
      return { ok: false, retryAfterSeconds: 1, reason: 'MailboxConcurrency' };
    }
    if (state.windowCount >= this.limits.requestsPerWindow) {
      state.throttled++;
      const waitMs = state.windowStart + this.limits.windowMs - nowMs;
      return {
        ok: false,
        retryAfterSeconds: Math.max(0, Math.ceil(waitMs / 1000)),
        reason: 'MailboxRequests',
      };
    }
    state.inFlight++;
    state.windowCount++;
    state.admitted++;
    state.peakConcurrency = Math.max(state.peakConcurrency, state.inFlight);
    state.peakPerWindow = Math.max(state.peakPerWindow, state.windowCount);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released) state.inFlight--;
        released = true;
      },
    };
  }

  stats(): ThrottleStats[] {
    return [...this.states.values()].map(({ key, peakConcurrency, peakPerWindow, admitted, throttled }) => ({
      key,
      peakConcurrency,
      peakPerWindow,
      admitted,
      throttled,
    }));
  }

  /** Forgets the peaks (not the requests in flight). */
  clearStats(): void {
    for (const state of this.states.values()) {
      Object.assign(state, {
        peakConcurrency: state.inFlight,
        peakPerWindow: state.windowCount,
        admitted: 0,
        throttled: 0,
      });
    }
  }

  private stateFor(key: string, nowMs: number): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = {
        key,
        peakConcurrency: 0,
        peakPerWindow: 0,
        admitted: 0,
        throttled: 0,
        inFlight: 0,
        windowStart: nowMs,
        windowCount: 0,
      };
      this.states.set(key, state);
    }
    return state;
  }
}
