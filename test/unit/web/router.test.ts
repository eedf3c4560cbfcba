import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/auth/principal.js';
import type { SyncDeps } from '../../../shared/sync/deps.js';
import type { WebDeps } from '../../../web/context.js';
import { handleWebRequest } from '../../../web/router.js';
import { MemorySessionStore } from '../../../web/session/session-store.js';
import { blankSession } from '../../../web/session/web-session.js';

/** The router's guards, without a stack: sessions in memory, no account exists. */
const principal: Principal = {
  kind: 'agent',
  tenantId: 't',
  objectId: 'u',
  username: 'a@b.example',
  name: 'A',
};

async function setup() {
  const sessions = new MemorySessionStore<Principal>();
  const signedIn = blankSession<Principal>(Date.now());
  signedIn.data.principal = principal;
  signedIn.data.expiresAt = Date.now() + 60_000;
  await sessions.put(signedIn.id, signedIn.data);
  const accounts = { get: async () => null, list: async function* () {} };
  const web = {
    deps: { accounts } as unknown as SyncDeps,
    sessions,
    validateAccessToken: async () => principal,
    oidc: {
      authorityHost: 'https://login.example',
      tenant: 'organizations',
      clientId: 'web',
      scope: 'api://x/access_as_user',
    },
    appClientId: 'app',
    appDisplayName: 'FLOWFACT',
    legacyAppDisplayName: 'FLOWFACT (Nylas)',
    migration: {} as WebDeps['migration'],
    wallNow: () => Date.now(),
  } satisfies WebDeps;
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    handleWebRequest(
      web,
      new HttpRequest({
        method,
        url: `http://127.0.0.1:7071${path}`,
        headers: { cookie: `ccs_session=${signedIn.id}`, ...headers },
        ...(body === undefined ? {} : { body: { string: body } }),
      }),
    );
  return { web, send, csrf: signedIn.data.csrf, sessions };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('web router', () => {
  it('refuses a form without the session CSRF token, or from another origin', async () => {
    const { send, csrf } = await setup();
    expect((await send('POST', '/konten/a1/migrieren', form, 'x=1')).status).toBe(403);
    expect((await send('POST', '/konten/a1/migrieren', form, 'csrf=wrong')).status).toBe(403);
    expect(
      (
        await send(
          'POST',
          '/konten/a1/migrieren',
          { ...form, origin: 'https://evil.example' },
          `csrf=${csrf}`,
        )
      ).status,
    ).toBe(403);
    expect((await send('POST', '/konten/a1/migrieren', {}, `csrf=${csrf}`)).status).toBe(400);
    // With the token the request goes through to the page, which finds no such account.
    expect((await send('POST', '/konten/a1/migrieren', form, `csrf=${csrf}`)).status).toBe(404);
  });

  it('needs a session for every page but the sign-in page, HTML for browsers and JSON otherwise', async () => {
    const { send } = await setup();
    const none = { cookie: '' };
    expect((await send('GET', '/', none)).status).toBe(200);
    const json = await send('GET', '/konten/a1/kontakte', none);
    expect(json.status).toBe(401);
    expect(JSON.parse(String(json.body))).toMatchObject({ error: { code: 'SignInRequired' } });
    const page = await send('GET', '/konten/a1/kontakte', { ...none, accept: 'text/html' });
    expect(page.status).toBe(401);
    expect(String(page.body)).toContain('Mit Microsoft anmelden');
    expect((await send('POST', '/abmelden', { ...none, ...form }, 'csrf=x')).status).toBe(401);
  });

  it('sends pages with a strict CSP, no caching, and the session cookie only when it changed', async () => {
    const { send } = await setup();
    const response = await send('GET', '/', { accept: 'text/html' });
    const headers = response.headers as Record<string, string>;
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['set-cookie']).toBeUndefined();
    const signIn = await send('GET', '/anmelden', { cookie: '' });
    expect(signIn.status).toBe(303);
    expect((signIn.headers as Record<string, string>)['set-cookie']).toMatch(
      /^ccs_session=[A-Za-z0-9_-]{43}; .*HttpOnly.*SameSite=Lax/,
    );
    const location = new URL((signIn.headers as Record<string, string>).location ?? '');
    expect(location.origin).toBe('https://login.example');
    expect(location.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:7071/auth/callback');
  });

  it("answers a callback whose state is not this browser's with 400, and unknown /api paths with the API's JSON 404", async () => {
    const { send } = await setup();
    expect((await send('GET', '/auth/callback?code=c&state=forged')).status).toBe(400);
    const api = await send('GET', '/api/nothing');
    expect(api.status).toBe(404);
    expect(JSON.parse(String(api.body))).toMatchObject({ error: { code: 'NotFound' } });
  });

  it('serves the assets with an ETag and 304 for a fresh copy', async () => {
    const { send } = await setup();
    const css = await send('GET', '/assets/app.css');
    expect(css.status).toBe(200);
    const etag = (css.headers as Record<string, string>).etag ?? '';
    expect((await send('GET', '/assets/app.css', { 'if-none-match': etag })).status).toBe(304);
    expect((await send('GET', '/assets/nope.css')).status).toBe(404);
  });
});
