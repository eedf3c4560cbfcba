import fc from 'fast-check';
import { decodable, idSegment, junkHeaders } from './arbitraries.js';
import { type FuzzCase, type RouteFuzz, withToken } from './fuzz-case.js';

/**
 * DELETE /api/accounts/{id} with hostile ids and headers: the 404 of a missing account; an id
 * the host cannot decode matches no API route, and the web app's catch-all, which takes no
 * DELETE, answers 405 (the rule of the other generators, mail-settings-fuzz.ts).
 * Only ids that name no account (the fixture's real accounts stay for the other routes' cases;
 * removing a real one is covered by test/unit/accounts/remove-account.test.ts).
 */
export const accountsRemoveFuzz: RouteFuzz = (ctx) =>
  fc.record({ id: idSegment(ctx.accounts.map((a) => a.id)), headers: junkHeaders }).map(
    ({ id, headers }): FuzzCase => ({
      request: { method: 'DELETE', path: `/api/accounts/${id}`, headers: withToken(headers, ctx.token) },
      expect: { statuses: decodable(id) ? [404] : [404, 405] },
    }),
  );
