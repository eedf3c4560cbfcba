import fc from 'fast-check';
import { expect } from 'vitest';
import { hostileString, idSegment, junkBody, junkHeaders } from './arbitraries.js';
import type { FuzzCase, RouteFuzz } from './fuzz-case.js';

/**
 * The web app's pages (functions/web.ts) without a signed-in session: junk or guessed session
 * cookies, forged CSRF tokens, other people's account ids. Nothing may happen: a POST is
 * refused (401 without a session), no page but the sign-in page answers 200, and the only
 * redirect is the sign-in's, to the authority.
 */
const PAGES = (id: string) => [
  '/',
  '/anmelden',
  '/auth/callback',
  '/auth/admin-freigabe',
  '/verwaltung',
  '/abmelden',
  `/konten/${id}/migrieren`,
  `/konten/${id}/admin-freigabe`,
  `/konten/${id}/anbieter`,
  `/konten/${id}/exchange-server`,
  `/konten/${id}/kontakte`,
  `/konten/${id}/kontakte.csv`,
  `/konten/${id}/kontakte/crm-1`,
  `/konten/${id}/loeschungen`,
  `/konten/${id}/loeschungen/bestaetigen`,
  `/konten/${id}/loeschungen/verwerfen`,
];

/** encodeURIComponent throws on lone surrogates (which hostileString makes on purpose). */
function enc(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%EF%BF%BD';
  }
}

const cookie = fc.oneof(
  fc.constant(undefined),
  hostileString.map((v) => `ccs_session=${enc(v)}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((v) => `ccs_session=${v}`),
);

const formBody = fc.oneof(
  junkBody,
  fc
    .record({ csrf: hostileString, provider: fc.constantFrom('microsoft365', 'onPremises', 'x') })
    .map((f) => new URLSearchParams(f).toString()),
);

export const webAppFuzz: RouteFuzz = (ctx) =>
  fc
    .record({
      method: fc.constantFrom('GET', 'POST'),
      page: fc.oneof(
        fc.constantFrom(...ctx.accounts.flatMap((a) => PAGES(a.id))),
        idSegment(ctx.accounts.map((a) => a.id)).map((id) => `/konten/${enc(id)}/kontakte`),
      ),
      query: fc.oneof(
        fc.constant(''),
        hostileString.map((v) => `?code=${enc(v)}&state=${enc(v)}`),
      ),
      cookie,
      headers: junkHeaders,
      body: formBody,
      form: fc.boolean(),
    })
    .map(({ method, page, query, cookie: c, headers, body, form }): FuzzCase => {
      const all: Record<string, string | string[]> = { ...headers };
      if (c) all.cookie = c;
      if (form && method === 'POST') all['content-type'] = 'application/x-www-form-urlencoded';
      return {
        request: { method, path: `${page}${query}`, headers: all, ...(method === 'POST' ? { body } : {}) },
        expect: {
          statuses: [200, 303, 400, 401, 404, 405, 413],
          check: (answer) => {
            if (method === 'POST')
              expect(answer.status, 'a POST without a session must be refused').toBeGreaterThanOrEqual(400);
            if (answer.status === 200) expect(page, 'only the sign-in page answers 200').toBe('/');
            if (answer.status === 303) expect(page, 'only the sign-in redirects').toBe('/anmelden');
          },
        },
      };
    });
