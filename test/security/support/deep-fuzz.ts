import fc from 'fast-check';
import { expect } from 'vitest';
import { signCrmEvent } from '../../../shared/adapters/crm/signature.js';
import { crmEventSchema } from '../../../shared/contact/crm-contact.js';
import { anyJson, junkHeaders, junkText, percentEncode } from './arbitraries.js';
import { type FuzzCase, isJsonMatching, type RouteFuzz } from './fuzz-case.js';
import { validCrmEvent } from './webhook-fuzz.js';

/**
 * Generators that start from a valid request and break one thing, so the fuzzer also reaches
 * the code behind the first gate: a correctly signed event whose body was changed afterwards,
 * a correctly signed event the schema refuses, the Graph validation handshake.
 */

const signedHeaders = (secret: string, body: string) => {
  const ts = Math.floor(Date.now() / 1000);
  return { 'x-crm-timestamp': String(ts), 'x-crm-signature': signCrmEvent(secret, ts, Buffer.from(body)) };
};

/** A body changed after it was signed: one character, whitespace, a field, or re-serialised. */
const mutation = (body: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .nat({ max: body.length - 1 })
      .map((i) => body.slice(0, i) + (body[i] === '1' ? '2' : '1') + body.slice(i + 1)),
    fc.constantFrom(`${body} `, ` ${body}`, `${body}\n`, JSON.stringify(JSON.parse(body), null, 1)),
    fc.constant(JSON.stringify({ ...JSON.parse(body), version: 10 ** 9 })),
    fc.constant(JSON.stringify({ ...JSON.parse(body), type: 'contact.deleted', eventId: 'forged' })),
  );

export const crmSignedThenMutatedFuzz: RouteFuzz = (ctx) =>
  validCrmEvent
    .chain((signed) =>
      fc.record({ signed: fc.constant(signed), sent: mutation(signed), headers: junkHeaders }),
    )
    .filter(({ signed, sent }) => signed !== sent)
    .map(
      ({ signed, sent, headers }): FuzzCase => ({
        request: {
          method: 'POST',
          path: '/api/crm/events',
          headers: { ...headers, ...signedHeaders(ctx.crmSecret, signed) },
          body: sent,
        },
        expect: { statuses: [401] },
      }),
    );

const wrongEvent = fc
  .record(
    {
      eventId: anyJson,
      type: fc.oneof(fc.constantFrom('contact.created', 'contact.merged'), anyJson),
      contactId: anyJson,
      version: fc.oneof(fc.constantFrom(-1, 1.5, '3', 2 ** 60), anyJson),
      occurredAt: fc.oneof(fc.constantFrom('yesterday', '2026-01-01', new Date().toISOString()), anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  )
  .map((e) => JSON.stringify(e));

/** Correctly signed (over the exact bytes sent), so only the schema can refuse it: 400, not 401. */
export const crmSignedButInvalidFuzz: RouteFuzz = (ctx) =>
  fc
    .record({ body: fc.oneof(junkText, wrongEvent), headers: junkHeaders })
    // A leading BOM is dropped by the body decoder, so the signature no longer covers the text read.
    .filter(({ body }) => !body.startsWith('\ufeff'))
    .filter(({ body }) => !isJsonMatching(body, (v) => crmEventSchema.safeParse(v).success))
    .map(
      ({ body, headers }): FuzzCase => ({
        request: {
          method: 'POST',
          path: '/api/crm/events',
          headers: { ...headers, ...signedHeaders(ctx.crmSecret, body) },
          body,
        },
        expect: { statuses: [400] },
      }),
    );

/** Graph's handshake on both Graph routes: the token comes back as text/plain, or a JSON 400 when too long. */
export const validationHandshakeFuzz: RouteFuzz = () =>
  fc
    .record({
      route: fc.constantFrom('graph/notifications', 'graph/lifecycle'),
      token: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }).map(percentEncode),
        fc.constantFrom('', '%00', '%ED%A0%80', '%', '<script>alert(1)</script>', 'a&validationToken=b'),
        fc.integer({ min: 1000, max: 4000 }).map((n) => 'x'.repeat(n)),
      ),
      body: fc.oneof(junkText, fc.constant(undefined)),
      headers: junkHeaders,
    })
    .map(
      ({ route, token, body, headers }): FuzzCase => ({
        request: {
          method: 'POST',
          path: `/api/${route}?validationToken=${token}`,
          headers,
          ...(body === undefined ? {} : { body }),
        },
        expect: {
          statuses: [200, 400],
          check: (answer) => {
            if (answer.status !== 200) return;
            const sent = new URL(`http://h/?validationToken=${token}`).searchParams.get('validationToken');
            expect(answer.headers['content-type']).toMatch(/^text\/plain\b/);
            expect(answer.text).toBe(sent);
          },
        },
      }),
    );
