import type fc from 'fast-check';
import { expect } from 'vitest';
import type { Expectation } from './answer-checks.js';
import type { RawRequest } from './raw-http.js';

/** What the fuzz generators know about the running stack. */
export interface RealAccount {
  id: string;
  email: string;
  subscriptionId: string;
  clientState: string;
}

export interface FuzzContext {
  /** Two registered accounts (two tenants' subscriptions), so ids and clientStates can be crossed. */
  accounts: readonly RealAccount[];
  crmSecret: string;
  /** A valid API token of the tenant administrator who sees both accounts (the fuzz is of the input, not of sign-in). */
  token: string;
}

/** The junk headers with the caller's bearer token instead of any authorization header they held. */
export function withToken(
  headers: Record<string, string | string[]>,
  token: string,
): Record<string, string | string[]> {
  const kept = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization');
  return { ...Object.fromEntries(kept), authorization: `Bearer ${token}` };
}

/** One request the product must refuse (or answer without doing anything), and what it may answer. */
export interface FuzzCase {
  request: RawRequest;
  expect: Expectation;
}

export type RouteFuzz = (ctx: FuzzContext) => fc.Arbitrary<FuzzCase>;

/** The body of a 202 from a webhook that took nothing: every item rejected, nothing queued. */
export const acceptedNothing: Expectation['check'] = (answer, json) => {
  if (answer.status !== 202) return;
  expect(json, 'a 202 must say what it took').toMatchObject({ accepted: 0, enqueued: 0 });
};

/** Whether a body, read as the product reads it, is JSON that `ok` accepts. */
export function isJsonMatching(body: string | Buffer, ok: (value: unknown) => boolean): boolean {
  try {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // As the request decoder does: a leading byte order mark is not part of the text.
    return ok(JSON.parse(text.replace(/^\ufeff/, '')));
  } catch {
    return false;
  }
}
