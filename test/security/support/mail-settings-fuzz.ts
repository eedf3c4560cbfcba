import fc from 'fast-check';
import { MAX_API_BODY_BYTES } from '../../../functions/http.js';
import { mailSettingsPatchSchema, tenantMailSettingsPatchSchema } from '../../../shared/mail/settings.js';
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

/**
 * Fuzz generators of the mail settings routes (functions/mail-settings.ts). A body the schema
 * refuses is a 400 (413 when too large) before any account is read; a valid body for an id
 * that names no account is a 404. A valid body for a real account would change its settings
 * (and may queue a mail round): never sent. The caller is the tenant administrator.
 */
const tooLarge = (body: string | Buffer) => Buffer.byteLength(body) > MAX_API_BODY_BYTES;
const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(printable, hostileString, { minKeys: 1, maxKeys: 3 })
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);

const settingsLike = fc
  .record(
    {
      folders: fc.oneof(fc.constantFrom('inboxAndSent', 'all', 'deleteditems'), anyJson),
      windowDays: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), anyJson),
      excludeBulk: anyJson,
      privateCategory: fc.oneof(hostileString, fc.constant(null), anyJson),
      blocklist: fc.oneof(
        fc.array(fc.oneof(hostileString, fc.constantFrom('@a.example', 'x@y.example'))),
        anyJson,
      ),
      visibility: fc.oneof(fc.constantFrom('full', 'subject', 'metadata', 'all'), anyJson),
      isAdmin: anyJson,
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.stringify(b));

const idOrReal = (ctx: FuzzContext) =>
  fc.oneof(
    {
      arbitrary: idSegment(ctx.accounts.map((a) => a.id)).map((segment) => ({ segment, real: false })),
      weight: 9,
    },
    { arbitrary: fc.constantFrom(...ctx.accounts.map((a) => ({ segment: a.id, real: true }))), weight: 1 },
  );

export const accountMailSettingsGetFuzz: RouteFuzz = (ctx) =>
  fc.record({ id: idOrReal(ctx), headers: junkHeaders, q: query }).map(
    ({ id, headers, q }): FuzzCase => ({
      request: {
        method: 'GET',
        path: `/api/accounts/${id.segment}/mail-settings${q}`,
        headers: withToken(headers, ctx.token),
      },
      expect: { statuses: id.real ? [200, 400] : [404, 400] },
    }),
  );

export const accountMailSettingsPatchFuzz: RouteFuzz = (ctx) =>
  fc
    .record({ id: idOrReal(ctx), body: fc.oneof(junkBody, settingsLike), headers: junkHeaders })
    .map(({ id, body, headers }) => ({
      id,
      body,
      headers,
      valid: isJsonMatching(body, (v) => mailSettingsPatchSchema.safeParse(v).success),
    }))
    .filter(({ id, valid }) => !(id.real && valid))
    .map(
      ({ id, body, headers, valid }): FuzzCase => ({
        request: {
          method: 'PATCH',
          path: `/api/accounts/${id.segment}/mail-settings`,
          headers: withToken(headers, ctx.token),
          body,
        },
        expect: {
          // A path the host cannot route falls to the web app's catch-all (GET and POST only): 405.
          statuses: !decodable(id.segment) ? [404, 405] : tooLarge(body) ? [413] : valid ? [404] : [400],
        },
      }),
    );

export const tenantMailSettingsGetFuzz: RouteFuzz = (ctx) =>
  fc.record({ headers: junkHeaders, q: query }).map(
    ({ headers, q }): FuzzCase => ({
      request: {
        method: 'GET',
        path: `/api/tenants/me/mail-settings${q}`,
        headers: withToken(headers, ctx.token),
      },
      expect: { statuses: [200, 400] },
    }),
  );

export const tenantMailSettingsPatchFuzz: RouteFuzz = (ctx) =>
  fc
    .record({ body: fc.oneof(junkBody, settingsLike), headers: junkHeaders })
    .filter(({ body }) => !isJsonMatching(body, (v) => tenantMailSettingsPatchSchema.safeParse(v).success))
    .map(
      ({ body, headers }): FuzzCase => ({
        request: {
          method: 'PATCH',
          path: '/api/tenants/me/mail-settings',
          headers: withToken(headers, ctx.token),
          body,
        },
        expect: { statuses: [tooLarge(body) ? 413 : 400] },
      }),
    );
