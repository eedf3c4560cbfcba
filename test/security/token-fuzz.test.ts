import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DEFINITIONS } from '../../functions/definitions.js';
import { ROUTE_AUTH } from '../../functions/route-auth.js';
import { SECOND_TENANT_ID } from '../../local/emulators/graph/index.js';
import { userToken } from '../../local/stack-identity.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { checkAnswer } from './support/answer-checks.js';
import { sendRaw } from './support/raw-http.js';
import { type SideEffects, watchSideEffects } from './support/side-effects.js';
import { stackSecrets } from './support/two-tenants.js';

/**
 * Tokens on every signed-in route (issue 15, "Bad input"): none, malformed, alg none, HS256
 * signed with the public key, unknown kid, wrong issuer, wrong audience, the issuer of another
 * tenant, expired, not yet valid, a tampered payload. Every answer is a 401 with
 * `WWW-Authenticate: Bearer` and a JSON error, holds no account data, and changes nothing.
 * A valid token asking for another user's or another tenant's account gets the 404 of an
 * account that does not exist. Validation rules: learn.microsoft.com/entra/identity-platform/access-tokens.
 */
const bearerRoutes = FUNCTION_DEFINITIONS.filter(
  (d): d is Extract<(typeof FUNCTION_DEFINITIONS)[number], { trigger: 'http' }> =>
    d.trigger === 'http' && ROUTE_AUTH[d.name] === 'bearer',
);

let stack: TestStack;
let effects: SideEffects;
let secrets: string[];
let mine: { id: string; email: string };
let accountsBefore: number;
/** Every token this file sent: none of them may show up in a log line. */
const sentTokens: string[] = [];
const colleague = {
  id: 'b2a9c7e4-1d3f-4a5b-8c6d-7e8f9a0b1c2d',
  mail: 'kollege@immobilien-demo.example',
  password: 'Kollege-Pass-1',
};
const foreigner = {
  id: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
  mail: 'fremd@fabrikam.example',
  password: 'Fremd-Pass-1',
};

beforeAll(async () => {
  stack = await startTestStack();
  for (const user of [colleague, foreigner])
    stack.graph.admin.createMailbox({
      ...user,
      tenantId: user === foreigner ? SECOND_TENANT_ID : stack.graph.tenantId,
    });
  const email = stack.users.agent.mail;
  const registered = await stack.api('POST', '/api/accounts', { email, syncVersion: 'v3' }, { as: 'agent' });
  expect(registered.status, registered.text).toBe(201);
  mine = { id: (registered.json as { id: string }).id, email };
  await stack.settle();
  secrets = [...stackSecrets(stack), colleague.password, foreigner.password];
  effects = watchSideEffects(stack);
  accountsBefore = await effects.accountCount();
});
afterAll(() => stack?.stop());

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The claims of a good token of the demo agent; each forgery changes one thing. */
function claims(): Record<string, unknown> {
  return {
    iss: `${stack.graph.authorityHost}/${stack.graph.tenantId}/v2.0`,
    aud: stack.graph.apiClientId,
    tid: stack.graph.tenantId,
    oid: stack.users.agent.id,
    scp: 'access_as_user',
    preferred_username: stack.users.agent.mail,
    iat: now(),
    nbf: now(),
    exp: now() + 600,
  };
}

function badTokens(): Record<string, string | null> {
  const sign = (c: Record<string, unknown>, header?: Record<string, unknown>) =>
    stack.graph.admin.signToken(c, header);
  const good = sign(claims());
  const [header, , signature] = good.split('.');
  const kid = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()).kid as string;
  const hsHeader = b64({ typ: 'JWT', alg: 'HS256', kid });
  const hsBody = b64(claims());
  const hs = createHmac('sha256', stack.graph.admin.publicKeyPem())
    .update(`${hsHeader}.${hsBody}`)
    .digest('base64url');
  return {
    none: null,
    malformed: 'not.a.token',
    'not a JWT at all': 'Zm9vYmFy',
    'alg none': `${b64({ typ: 'JWT', alg: 'none' })}.${b64(claims())}.`,
    'HS256 signed with the public key': `${hsHeader}.${hsBody}.${hs}`,
    'unknown kid': sign(claims(), { kid: 'not-a-published-key' }),
    'wrong issuer': sign({ ...claims(), iss: 'https://login.example.org/x/v2.0' }),
    'issuer of another tenant': sign({
      ...claims(),
      iss: `${stack.graph.authorityHost}/${SECOND_TENANT_ID}/v2.0`,
    }),
    'wrong audience': sign({ ...claims(), aud: 'https://graph.microsoft.com' }),
    expired: sign({ ...claims(), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }),
    'not yet valid': sign({ ...claims(), nbf: now() + 3600, exp: now() + 7200 }),
    'tampered payload': `${header}.${b64({ ...claims(), roles: ['Sync.TenantAdmin'] })}.${signature}`,
  };
}

function requestFor(route: (typeof bearerRoutes)[number], accountId: string) {
  const method = route.methods[0] ?? 'GET';
  const path = `/api/${route.route.replace('{id}', accountId)}`;
  const body =
    route.name === 'accountsRegister'
      ? JSON.stringify({ email: stack.users.agent.mail.replace('anna', 'anna2'), syncVersion: 'v3' })
      : method === 'POST' || method === 'PATCH'
        ? '{}'
        : undefined;
  return { method, path, ...(body === undefined ? {} : { body }) };
}

describe('tokens on every signed-in route', () => {
  it('covers every bearer route of FUNCTION_DEFINITIONS', () => {
    expect(bearerRoutes.map((r) => r.name).sort()).toEqual(
      Object.entries(ROUTE_AUTH)
        .filter(([, rule]) => rule === 'bearer')
        .map(([name]) => name)
        .sort(),
    );
  });

  it('answers every missing, broken or forged token with 401, WWW-Authenticate: Bearer and no data', async () => {
    await stack.settle();
    effects.reset();
    const tokens = badTokens();
    for (const route of bearerRoutes) {
      for (const [kind, token] of Object.entries(tokens)) {
        const base = requestFor(route, mine.id);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token !== null) {
          headers.authorization = `Bearer ${token}`;
          sentTokens.push(token);
        }
        const answer = await sendRaw(stack.host.url, { ...base, headers });
        const label = `${kind} on ${route.name}`;
        checkAnswer(answer, { statuses: [401] }, secrets, label);
        expect(String(answer.headers['www-authenticate'] ?? ''), label).toMatch(/^Bearer\b/);
        expect(answer.text, `${label} shows the account`).not.toContain(mine.id);
        expect(answer.text, `${label} shows the mailbox`).not.toContain(mine.email);
        if (token) expect(answer.text, `${label} echoes the token`).not.toContain(token.slice(-20));
      }
    }
    expect(effects.sent, 'nothing was enqueued').toEqual([]);
    expect(effects.writes(), 'nothing was written to Graph or the CRM').toEqual([]);
    expect(await effects.accountCount(), 'no account was added').toBe(accountsBefore);
  });

  it('answers a valid token asking for another user’s or another tenant’s account exactly as a missing one', async () => {
    await stack.settle();
    effects.reset();
    const tokens = {
      'a colleague of the same tenant': (await userToken(stack.graph, colleague.mail, colleague.password))
        .token,
      'a user of another tenant': (await userToken(stack.graph, foreigner.mail, foreigner.password)).token,
    };
    sentTokens.push(...Object.values(tokens));
    const idRoutes = bearerRoutes.filter((r) => r.route.includes('{id}'));
    for (const route of idRoutes) {
      const missing = await sendRaw(stack.host.url, {
        ...requestFor(route, '00000000-0000-4000-8000-000000000000'),
        headers: {
          authorization: `Bearer ${tokens['a colleague of the same tenant']}`,
          'content-type': 'application/json',
        },
      });
      for (const [who, token] of Object.entries(tokens)) {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const answer = await sendRaw(stack.host.url, { ...requestFor(route, mine.id), headers });
        const label = `${who} on ${route.name}`;
        checkAnswer(answer, { statuses: [404] }, secrets, label);
        expect(answer.text.replaceAll(mine.id, '00000000-0000-4000-8000-000000000000'), label).toBe(
          missing.text,
        );
      }
    }
    for (const [who, token] of Object.entries(tokens)) {
      const list = await stack.api('GET', '/api/accounts', undefined, { as: { token } });
      expect(list.status, who).toBe(200);
      expect(list.text, `${who} lists the agent's account`).not.toContain(mine.id);
      const register = await stack.api(
        'POST',
        '/api/accounts',
        { email: mine.email, syncVersion: 'v3' },
        { as: { token } },
      );
      expect(register.status, `${who} registers the agent's mailbox`).toBe(404);
    }
    expect(effects.sent).toEqual([]);
    expect(effects.writes()).toEqual([]);
    expect(await effects.accountCount()).toBe(accountsBefore);
  });

  it('runs a timer through POST /admin/functions/{name} only with the master key in x-functions-key', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-functions-key': 'wrong' },
      { 'x-functions-key': `${stack.host.masterKey}x` },
    ];
    for (const headers of attempts) {
      const answer = await sendRaw(stack.host.url, {
        method: 'POST',
        path: '/admin/functions/reconcile',
        headers,
      });
      checkAnswer(answer, { statuses: [401] }, secrets, JSON.stringify(headers));
    }
    const run = await sendRaw(stack.host.url, {
      method: 'POST',
      path: '/admin/functions/reconcile',
      headers: { 'x-functions-key': stack.host.masterKey },
    });
    expect(run.status).toBe(202);
  });

  it('lets nothing a caller sent reach the host log: no token, secret or password', () => {
    // The signature part identifies a token; short junk ("not.a.token") could match by chance.
    const signatures = sentTokens.map((t) => t.split('.')[2] ?? '').filter((s) => s.length >= 20);
    expect(signatures.length).toBeGreaterThan(10);
    for (const line of stack.logs) {
      for (const secret of [...secrets, ...signatures]) {
        expect(line.includes(secret), `log line holds a secret: ${line.slice(0, 120)}`).toBe(false);
      }
    }
  });
});
