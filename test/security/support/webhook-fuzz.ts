import fc from 'fast-check';
import { signCrmEvent } from '../../../shared/adapters/crm/signature.js';
import { anyJson, hostileString, junkBody, junkHeaders, printable } from './arbitraries.js';
import { acceptedNothing, type FuzzCase, type FuzzContext, type RouteFuzz } from './fuzz-case.js';

/** Fuzz generators of the three webhooks: Graph notifications, Graph lifecycle, CRM events. */

/** Near misses of a real secret: one character off, a prefix, a suffix, other case, padding. */
export function nearMisses(secret: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), ` ${secret}`, `${secret}\u0000`),
    fc
      .nat({ max: secret.length - 1 })
      .map((i) => secret.slice(0, i) + (secret[i] === 'A' ? 'B' : 'A') + secret.slice(i + 1)),
  );
}

/** Fields of a Graph item: `typed` ones pass the schema (so the subscription lookup runs), `wild` ones need not. */
interface ItemFields {
  typed: Record<string, fc.Arbitrary<unknown>>;
  wild: Record<string, fc.Arbitrary<unknown>>;
}

function subscriptionFields(ctx: FuzzContext): ItemFields {
  const ids = fc.constantFrom(...ctx.accounts.map((a) => a.subscriptionId));
  const states = fc.constantFrom(...ctx.accounts.map((a) => a.clientState));
  const typedId = fc.oneof(
    ids,
    hostileString.filter((s) => s.length >= 1 && s.length <= 200),
  );
  const typedState = fc.oneof(
    states,
    states.chain(nearMisses),
    hostileString.filter((s) => s.length <= 256),
    fc.constant(null),
  );
  return {
    typed: { subscriptionId: typedId, clientState: typedState },
    wild: { subscriptionId: fc.oneof(typedId, anyJson), clientState: fc.oneof(typedState, anyJson) },
  };
}

/** True when an item names a real subscription with its own clientState (that one is accepted). */
const genuine = (ctx: FuzzContext, item: Record<string, unknown>) =>
  ctx.accounts.some((a) => item.subscriptionId === a.subscriptionId && item.clientState === a.clientState);

function graphWebhook(route: string, extra: ItemFields): RouteFuzz {
  return (ctx) => {
    const fields = subscriptionFields(ctx);
    const typed = fc.record({ ...fields.typed, ...extra.typed }).filter((i) => !genuine(ctx, i));
    const wild = fc
      .record({ ...fields.wild, ...extra.wild }, { requiredKeys: [] })
      .filter((i) => !genuine(ctx, i));
    const batch = fc.oneof(
      { arbitrary: fc.record({ value: fc.array(typed, { minLength: 1, maxLength: 5 }) }), weight: 4 },
      { arbitrary: fc.record({ value: fc.array(wild, { maxLength: 5 }) }), weight: 2 },
      { arbitrary: fc.record({ value: anyJson }), weight: 1 },
    );
    const body = fc.oneof(
      { arbitrary: batch.map((b) => JSON.stringify(b)), weight: 3 },
      { arbitrary: junkBody, weight: 1 },
    );
    return fc.record({ body, headers: junkHeaders }).map(
      ({ body, headers }): FuzzCase => ({
        request: { method: 'POST', path: `/api/${route}`, headers, body },
        expect: { statuses: [202, 400], check: acceptedNothing },
      }),
    );
  };
}

const changeType = fc.constantFrom('created', 'updated', 'deleted');
export const graphNotificationsFuzz = graphWebhook('graph/notifications', {
  typed: {
    changeType,
    resource: fc.oneof(
      fc.constant('Users/x/Contacts/y'),
      hostileString.filter((s) => s.length <= 2000),
    ),
    resourceData: fc.record({
      id: fc.string({ maxLength: 100 }),
      '@odata.etag': fc.string({ maxLength: 100 }),
    }),
  },
  wild: {
    changeType: fc.oneof(changeType, anyJson),
    resource: anyJson,
    tenantId: fc.oneof(fc.uuid(), anyJson),
    resourceData: fc.oneof(fc.record({ id: hostileString, '@odata.etag': hostileString }), anyJson),
  },
});

const lifecycleEvent = fc.constantFrom('reauthorizationRequired', 'subscriptionRemoved', 'missed');
export const graphLifecycleFuzz = graphWebhook('graph/lifecycle', {
  typed: { lifecycleEvent },
  wild: { lifecycleEvent: fc.oneof(lifecycleEvent, anyJson) },
});

type Headers = Record<string, string | string[]>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A CRM event body that passes the schema, for the deep cases. */
export const validCrmEvent = fc
  .record({
    eventId: fc.uuid(),
    type: fc.constantFrom('contact.created', 'contact.updated', 'contact.deleted'),
    contactId: fc.uuid(),
    version: fc.nat(),
  })
  .map((e) => JSON.stringify({ ...e, occurredAt: new Date().toISOString() }));

/** Every way of getting the signature headers wrong; none of them may be accepted. */
function badSignatureHeaders(ctx: FuzzContext, body: string | Buffer): fc.Arbitrary<Headers> {
  const sign = (secret: string, ts: number | string, bytes: string | Buffer = body) =>
    signCrmEvent(secret, ts, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  const stale = fc.oneof(fc.integer({ min: 301, max: 10 ** 9 }), fc.integer({ min: -(10 ** 6), max: -301 }));
  return fc.oneof<fc.Arbitrary<Headers>[]>(
    fc.constant({}),
    fc.record({ 'x-crm-timestamp': printable, 'x-crm-signature': printable }, { requiredKeys: [] }),
    hostileString
      .filter((s) => s !== ctx.crmSecret)
      .map((secret) => ({
        'x-crm-timestamp': String(nowSeconds()),
        'x-crm-signature': sign(secret, nowSeconds()),
      })),
    stale.map((age) => ({
      'x-crm-timestamp': String(nowSeconds() - age),
      'x-crm-signature': sign(ctx.crmSecret, nowSeconds() - age),
    })),
    fc.integer({ min: 1, max: 250 }).map((age) => ({
      'x-crm-timestamp': String(nowSeconds()),
      'x-crm-signature': sign(ctx.crmSecret, nowSeconds() - age),
    })),
    fc.constant({
      'x-crm-timestamp': String(nowSeconds()),
      'x-crm-signature': [sign(ctx.crmSecret, nowSeconds()), sign(ctx.crmSecret, nowSeconds())],
    }),
    fc.constant({
      'x-crm-timestamp': [String(nowSeconds()), String(nowSeconds())],
      'x-crm-signature': sign(ctx.crmSecret, nowSeconds()),
    }),
    fc.constant({
      'x-crm-timestamp': String(nowSeconds()),
      'x-crm-signature': sign(ctx.crmSecret, nowSeconds()).replace('sha256=', 'sha1='),
    }),
    fc.constant({
      'x-crm-timestamp': `${nowSeconds()}.0`,
      'x-crm-signature': sign(ctx.crmSecret, `${nowSeconds()}.0`),
    }),
  );
}

export const crmEventsFuzz: RouteFuzz = (ctx) =>
  fc
    .oneof(junkBody, validCrmEvent)
    .chain((body) =>
      fc.record({ body: fc.constant(body), sig: badSignatureHeaders(ctx, body), headers: junkHeaders }),
    )
    .map(
      ({ body, sig, headers }): FuzzCase => ({
        request: { method: 'POST', path: '/api/crm/events', headers: { ...headers, ...sig }, body },
        expect: { statuses: [401] },
      }),
    );
