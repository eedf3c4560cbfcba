import { expect } from 'vitest';
import { z } from 'zod';
import type { RawResponse } from './raw-http.js';

/** What a fuzzed request may be answered with. */
export interface Expectation {
  /** The statuses allowed for this request (never a 5xx). */
  statuses: readonly number[];
  /** Further checks on the answer (e.g. "accepted nothing"). */
  check?: (answer: RawResponse, json: unknown) => void;
}

/** DESIGN section 8: every 4xx is `{ error: { code, message } }`, or a documented state shape. */
const errorBody = z.object({
  error: z.object({ code: z.string().min(1), message: z.string().min(1) }).loose(),
});
const stateBody = z.object({
  state: z.enum(['adminConsentRequired', 'providerChoiceRequired', 'providerNotSupported']),
  message: z.string().min(1),
});

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Throws (so fast-check shrinks) when the answer breaks an invariant of the public API. */
export function checkAnswer(
  answer: RawResponse,
  expected: Expectation,
  secrets: readonly string[],
  what: string,
): void {
  const label = `${what} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, label).toBeLessThan(500);
  expect(expected.statuses, label).toContain(answer.status);
  const json = parseJsonText(answer.text);
  if (answer.status >= 400) {
    expect(answer.headers['content-type'] ?? '', label).toMatch(/^application\/json\b/);
    const shaped =
      errorBody.safeParse(json).success ||
      ([409, 422].includes(answer.status) && stateBody.safeParse(json).success);
    expect(shaped, `${label}: not a documented error body`).toBe(true);
  }
  for (const secret of secrets) expect(answer.text.includes(secret), `${label}: echoes a secret`).toBe(false);
  expected.check?.(answer, json);
}
