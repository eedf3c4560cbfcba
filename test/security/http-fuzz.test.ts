import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DEFINITIONS, hostRoute } from '../../functions/definitions.js';
import { MAX_API_BODY_BYTES, MAX_BODY_BYTES } from '../../functions/http.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import {
  accountsConfirmDeletesFuzz,
  accountsExportFuzz,
  accountsGetFuzz,
  accountsListFuzz,
  accountsMigrateFuzz,
  accountsRegisterFuzz,
  accountsRejectDeletesFuzz,
  auditListFuzz,
  healthFuzz,
} from './support/account-fuzz.js';
import { checkAnswer } from './support/answer-checks.js';
import {
  crmSignedButInvalidFuzz,
  crmSignedThenMutatedFuzz,
  validationHandshakeFuzz,
} from './support/deep-fuzz.js';
import { type FuzzCase, type FuzzContext, type RouteFuzz, withToken } from './support/fuzz-case.js';
import {
  accountMailSettingsGetFuzz,
  accountMailSettingsPatchFuzz,
  tenantMailSettingsGetFuzz,
  tenantMailSettingsPatchFuzz,
} from './support/mail-settings-fuzz.js';
import { pathShapeFuzz } from './support/path-fuzz.js';
import { fitsNodeHeaderLimit, sendRaw } from './support/raw-http.js';
import { accountsRemoveFuzz } from './support/remove-fuzz.js';
import { type SideEffects, watchSideEffects } from './support/side-effects.js';
import { registerTwoTenants, signedValidEvent, stackSecrets } from './support/two-tenants.js';
import { webAppFuzz } from './support/web-fuzz.js';
import { crmEventsFuzz, graphLifecycleFuzz, graphNotificationsFuzz } from './support/webhook-fuzz.js';

/** Every HTTP function of FUNCTION_DEFINITIONS, by name, with its generator of hostile requests. */
const ROUTE_FUZZ: Record<string, RouteFuzz> = {
  graphNotifications: graphNotificationsFuzz,
  graphLifecycle: graphLifecycleFuzz,
  crmEvents: crmEventsFuzz,
  accountsList: accountsListFuzz,
  accountsRegister: accountsRegisterFuzz,
  accountsGet: accountsGetFuzz,
  accountsRemove: accountsRemoveFuzz,
  accountsMigrate: accountsMigrateFuzz,
  accountsConfirmDeletes: accountsConfirmDeletesFuzz,
  accountsExport: accountsExportFuzz,
  accountsRejectDeletes: accountsRejectDeletesFuzz,
  auditList: auditListFuzz,
  accountMailSettingsGet: accountMailSettingsGetFuzz,
  accountMailSettingsPatch: accountMailSettingsPatchFuzz,
  tenantMailSettingsGet: tenantMailSettingsGetFuzz,
  tenantMailSettingsPatch: tenantMailSettingsPatchFuzz,
  health: healthFuzz,
  webApp: webAppFuzz,
};

const DEEP_FUZZ: Record<string, RouteFuzz> = {
  'a correctly signed CRM event whose body was changed afterwards is 401': crmSignedThenMutatedFuzz,
  'a correctly signed CRM event the schema refuses is 400': crmSignedButInvalidFuzz,
  'the Graph validation handshake echoes the token as text or refuses it': validationHandshakeFuzz,
  'paths with dot segments, slashes and other methods are refused': pathShapeFuzz,
};

const numRuns = Number(process.env.FC_RUNS ?? 100);
const httpRoutes = FUNCTION_DEFINITIONS.filter((d) => d.trigger === 'http');

describe('hostile requests to every HTTP route', () => {
  let stack: TestStack;
  let ctx: FuzzContext;
  let effects: SideEffects;
  let secrets: string[];
  let accountsBefore: number;

  beforeAll(async () => {
    stack = await startTestStack();
    ctx = await registerTwoTenants(stack);
    secrets = stackSecrets(stack);
    effects = watchSideEffects(stack);
    accountsBefore = await effects.accountCount();
  });
  afterAll(() => stack?.stop());

  /** Sends one case and checks every invariant of a refused request. */
  async function expectRefused(fuzzCase: FuzzCase, what: string): Promise<void> {
    const answer = await sendRaw(stack.host.url, fuzzCase.request);
    const label = `${what}: ${fuzzCase.request.method} ${fuzzCase.request.path.slice(0, 200)}`;
    checkAnswer(answer, fuzzCase.expect, secrets, label);
    expect(effects.sent, `${label} enqueued`).toEqual([]);
    expect(effects.writes(), `${label} wrote to Graph or the CRM`).toEqual([]);
    if (fuzzCase.request.method === 'POST' && fuzzCase.request.path.startsWith('/api/accounts'))
      expect(await effects.accountCount(), `${label} added an account`).toBe(accountsBefore);
  }

  async function fuzz(name: string, generator: RouteFuzz): Promise<void> {
    await stack.settle(10_000);
    effects.reset();
    await fc.assert(
      fc.asyncProperty(
        generator(ctx).filter((c) => fitsNodeHeaderLimit(c.request)),
        (fuzzCase) => expectRefused(fuzzCase, name),
      ),
      { numRuns },
    );
    // The spy above sees every send at once; the queues themselves must be empty as well.
    expect(await effects.pending(), `${name} left queue messages`).toBe(0);
    expect(await effects.accountCount(), `${name} added an account`).toBe(accountsBefore);
  }

  it('has a fuzz generator for every HTTP function, and only for those', () => {
    expect(Object.keys(ROUTE_FUZZ).sort()).toEqual(httpRoutes.map((d) => d.name).sort());
  });

  it('accepts the genuine requests the generators start from (so refusals are not an accident)', async () => {
    await stack.settle();
    effects.reset();
    const [first] = ctx.accounts;
    const notification = await stack.api('POST', '/api/graph/notifications', {
      value: [
        { subscriptionId: first?.subscriptionId, clientState: first?.clientState, changeType: 'updated' },
      ],
    });
    expect(notification.json).toMatchObject({ accepted: 1, rejected: 0, enqueued: 1 });
    const signed = await sendRaw(stack.host.url, signedValidEvent(ctx.crmSecret));
    expect(signed.status, signed.text).toBe(202);
    expect(effects.sent.map((s) => s.kind).sort()).toEqual(['crmEvent', 'exchangeChanged']);
  });

  for (const definition of httpRoutes) {
    it(`refuses hostile input on ${definition.methods.join('/')} /api/${definition.route}`, async () => {
      const generator = ROUTE_FUZZ[definition.name];
      expect(generator, `no fuzz generator for ${definition.name}`).toBeDefined();
      if (generator) await fuzz(definition.name, generator);
    });
  }

  for (const [title, generator] of Object.entries(DEEP_FUZZ)) it(title, () => fuzz(title, generator));

  // The fuzz leaves out requests whose head Node refuses itself (fitsNodeHeaderLimit); this
  // pins that the limit it assumes is the one Node applies: just over it Node answers 431
  // before the host runs, just under it the route answers (a 404 for no such account).
  it("leaves out only the requests Node's parser refuses with 431 before any route runs", async () => {
    const at = (length: number) => ({
      method: 'GET',
      path: `/api/accounts/${'a'.repeat(length)}`,
      headers: withToken({}, ctx.token),
    });
    let length = 1;
    while (fitsNodeHeaderLimit(at(length + 1))) length += 1;
    const under = at(length - 64);
    const over = at(length + 64);
    expect(fitsNodeHeaderLimit(over)).toBe(false);
    expect((await sendRaw(stack.host.url, over)).status).toBe(431);
    expect((await sendRaw(stack.host.url, under)).status).toBe(404);
  });

  it('answers a JSON 413 to a body over 1 MiB on every POST route, with a content-length or chunked', async () => {
    await stack.settle(10_000);
    effects.reset();
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, '[');
    for (const definition of httpRoutes.filter((d) => d.methods.includes('POST'))) {
      const path = `/${hostRoute(definition)
        .replace('{id}', ctx.accounts[0]?.id ?? '')
        .replace('{*path}', '')}`;
      for (const chunked of [false, true]) {
        const request = { method: 'POST', path, body: big, chunked };
        await expectRefused(
          { request, expect: { statuses: [413] } },
          `${definition.name} chunked=${chunked}`,
        );
      }
    }
  });

  it('answers a JSON 413 to an accounts body over 16 KiB (signed in), before parsing it', async () => {
    await stack.settle(10_000);
    effects.reset();
    const body = JSON.stringify({
      email: 'big@contoso.example',
      syncVersion: 'v3',
      pad: 'x'.repeat(MAX_API_BODY_BYTES),
    });
    const headers = { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' };
    for (const path of ['/api/accounts', `/api/accounts/${ctx.accounts[0]?.id ?? ''}/migrate`]) {
      for (const chunked of [false, true]) {
        await expectRefused(
          { request: { method: 'POST', path, headers, body, chunked }, expect: { statuses: [413] } },
          `${path} chunked=${chunked}`,
        );
      }
    }
  });

  it('answers a request target that starts with // (a scheme-relative URL) without a 500', async () => {
    for (const path of ['//..%2F..%2Fapi', '//%/api/health', '//'])
      await expectRefused({ request: { method: 'GET', path }, expect: { statuses: [400, 404] } }, path);
  });

  it('validates a migrate body sent chunked (no content-length) like any other: 400 before the account lookup', async () => {
    await stack.settle(10_000);
    effects.reset();
    const request = {
      method: 'POST',
      path: '/api/accounts/no-such-account/migrate',
      headers: { authorization: `Bearer ${ctx.token}` },
      body: '{"provider":"gmail"}',
    };
    await expectRefused({ request, expect: { statuses: [400] } }, 'migrate with a content-length');
    await expectRefused(
      { request: { ...request, chunked: true }, expect: { statuses: [400] } },
      'migrate chunked',
    );
  });
});
