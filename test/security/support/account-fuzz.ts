import fc from 'fast-check';
import { expect } from 'vitest';
import { MAX_API_BODY_BYTES } from '../../../functions/http.js';
import { migrateBodySchema, registerAccountSchema } from '../../../shared/accounts/new-account.js';
import {
  anyJson,
  decodable,
  hostileString,
  idSegment,
  junkBody,
  junkHeaders,
  printable,
} from './arbitraries.js';
import { type FuzzCase, type FuzzContext, isJsonMatching, type RouteFuzz, withToken } from './fuzz-case.js';

/** Fuzz generators of the accounts API and health. */

const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(printable, hostileString, { minKeys: 1, maxKeys: 3 })
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);
const maybeBody = fc.option(junkBody, { nil: undefined });
/** Accounts bodies over MAX_API_BODY_BYTES are refused with 413 before anything reads them. */
const tooLarge = (body: string | Buffer) => Buffer.byteLength(body) > MAX_API_BODY_BYTES;

/**
 * GET routes take no input but the path and the query: whatever else comes along changes
 * nothing. Signed-in routes check the query before any storage call (400 for control
 * characters or overlong values); health reads no query at all.
 */
function plainGet(
  path: string,
  options: { signedIn: boolean; check?: FuzzCase['expect']['check'] },
): RouteFuzz {
  return (ctx) =>
    fc.record({ q: query, headers: junkHeaders, body: maybeBody }).map(
      ({ q, headers, body }): FuzzCase => ({
        request: {
          method: 'GET',
          path: `${path}${q}`,
          headers: options.signedIn ? withToken(headers, ctx.token) : headers,
          ...(body === undefined ? {} : { body }),
        },
        expect: {
          statuses: options.signedIn ? [200, 400] : [200],
          ...(options.check ? { check: options.check } : {}),
        },
      }),
    );
}

const items: FuzzCase['expect']['check'] = (answer, json) => {
  if (answer.status === 200) expect(Array.isArray((json as { items?: unknown }).items)).toBe(true);
};
export const accountsListFuzz = plainGet('/api/accounts', { signedIn: true, check: items });
export const auditListFuzz = plainGet('/api/audit', { signedIn: true, check: items });
export const healthFuzz = plainGet('/api/health', { signedIn: false });

const registerLike = fc
  .record(
    {
      email: fc.oneof(
        hostileString,
        fc.constantFrom('new@contoso.example', `${'x'.repeat(400)}@b.de`),
        anyJson,
      ),
      syncVersion: fc.oneof(fc.constantFrom('v2', 'v3', 'V3', 'v4'), anyJson),
      userId: fc.oneof(hostileString, anyJson),
      tenantId: fc.oneof(fc.uuid(), fc.constantFrom('not a tenant', 'contoso.onmicrosoft.com'), anyJson),
      provider: fc.oneof(fc.constantFrom('microsoft365', 'onPremises', 'gmail'), anyJson),
      defaultCountry: fc.oneof(fc.constantFrom('DE', 'de', 'XX', 'DEU'), anyJson),
      targetFolderId: fc.oneof(hostileString, anyJson),
      exchangeDeleteAction: fc.oneof(fc.constantFrom('unlink', 'delete', 'purge'), anyJson),
      isAdmin: anyJson,
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.stringify(b));

export const accountsRegisterFuzz: RouteFuzz = (ctx) => {
  const refused = fc
    .oneof(junkBody, registerLike)
    .filter((body) => !isJsonMatching(body, (v) => registerAccountSchema.safeParse(v).success))
    .map((body) => ({ body, statuses: [tooLarge(body) ? 413 : 400] }));
  const duplicate = fc
    .record({
      email: fc
        .constantFrom(...ctx.accounts.map((a) => a.email))
        .chain((e) => fc.constantFrom(e, e.toUpperCase())),
      syncVersion: fc.constantFrom('v2', 'v3'),
    })
    .map((b) => ({ body: JSON.stringify(b), statuses: [409] }));
  return fc.record({ c: fc.oneof(refused, duplicate), headers: junkHeaders }).map(
    ({ c, headers }): FuzzCase => ({
      request: {
        method: 'POST',
        path: '/api/accounts',
        headers: withToken(headers, ctx.token),
        body: c.body,
      },
      expect: { statuses: c.statuses },
    }),
  );
};

/** A path segment and whether it names a real account (then the route answers `real`). */
const idOrReal = (ctx: FuzzContext) =>
  fc.oneof(
    {
      arbitrary: idSegment(ctx.accounts.map((a) => a.id)).map((segment) => ({ segment, real: false })),
      weight: 9,
    },
    { arbitrary: fc.constantFrom(...ctx.accounts.map((a) => ({ segment: a.id, real: true }))), weight: 1 },
  );

function byId(
  method: string,
  suffix: string,
  unknown: number[],
  real: number[],
  check?: FuzzCase['expect']['check'],
): RouteFuzz {
  return (ctx) =>
    fc.record({ id: idOrReal(ctx), headers: junkHeaders, body: maybeBody }).map(
      ({ id, headers, body }): FuzzCase => ({
        request: {
          method,
          path: `/api/accounts/${id.segment}${suffix}`,
          headers: withToken(headers, ctx.token),
          ...(body === undefined ? {} : { body }),
        },
        expect: { statuses: id.real ? real : unknown, ...(check ? { check } : {}) },
      }),
    );
}

export const accountsGetFuzz = byId('GET', '', [404], [200]);
export const accountsExportFuzz = byId('GET', '/contacts.csv', [404], [200], (answer) => {
  if (answer.status === 200) expect(answer.headers['content-type']).toMatch(/^text\/csv\b/);
});
export const accountsConfirmDeletesFuzz = byId('POST', '/confirm-deletes', [404], [409], (answer, json) => {
  if (answer.status === 409) expect(json).toMatchObject({ error: { code: 'NothingHeld' } });
});

export const accountsRejectDeletesFuzz = byId('POST', '/reject-deletes', [404], [409], (answer, json) => {
  if (answer.status === 409) expect(json).toMatchObject({ error: { code: 'NothingHeld' } });
});

const migrateLike = fc
  .record(
    {
      provider: fc.oneof(fc.constantFrom('microsoft365', 'onPremises', 'exchange2010'), anyJson),
      host: fc.oneof(
        fc.constantFrom('mail.contoso.example', 'http://x', 'a b', 'https://ok.example/ews'),
        anyJson,
      ),
      username: fc.oneof(hostileString, anyJson),
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.stringify(b));

/**
 * A body the schema refuses is a 400 whatever the id (once the path names the route at all);
 * a valid (or no) body for an unknown id is a 404. A valid body for a real account would start a migration (and a DNS lookup): never sent.
 */
export const accountsMigrateFuzz: RouteFuzz = (ctx) =>
  fc
    .record({
      id: idOrReal(ctx),
      body: fc.option(fc.oneof(junkBody, migrateLike), { nil: undefined }),
      headers: junkHeaders,
    })
    .map(({ id, body, headers }) => {
      const present = body !== undefined && body.length > 0;
      const valid = !present || isJsonMatching(body, (v) => migrateBodySchema.safeParse(v).success);
      return { id, body, headers, valid };
    })
    .filter(({ id, valid }) => !(id.real && valid))
    .map(
      ({ id, body, headers, valid }): FuzzCase => ({
        request: {
          method: 'POST',
          path: `/api/accounts/${id.segment}/migrate`,
          headers: withToken(headers, ctx.token),
          ...(body === undefined ? {} : { body }),
        },
        expect: {
          // A path the host cannot route is its 404; then the size limit; then the schema.
          statuses: !decodable(id.segment)
            ? [404]
            : body !== undefined && tooLarge(body)
              ? [413]
              : valid
                ? [404]
                : [400],
        },
      }),
    );
