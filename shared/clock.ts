import type { Clock } from './ports.js';

/**
 * The product's clock. With a start instant (SYNC_CLOCK_START) it starts there and runs
 * forward in real time, so demos and tests can stand just before a migration deadline.
 */
export function clockFrom(start: Date | null, realNow: () => number = Date.now): Clock {
  if (!start) return { now: () => new Date(realNow()) };
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}
