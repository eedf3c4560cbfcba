import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, pkcePair } from '../../../web/auth/oidc-client.js';
import { localPath } from '../../../web/http.js';
import { MemorySessionStore } from '../../../web/session/session-store.js';
import { blankSession, csrfOk, loadSession, sessionCookie } from '../../../web/session/web-session.js';

const request = (url: string, headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'POST', url, headers });

describe('web session', () => {
  it('sets an HttpOnly, SameSite=Lax cookie, Secure everywhere but on loopback', () => {
    const local = sessionCookie(request('http://127.0.0.1:7071/'), 'id', Date.now() + 1000);
    expect(local).toMatch(/HttpOnly/);
    expect(local).toMatch(/SameSite=Lax/);
    expect(local).not.toMatch(/Secure/);
    const azure = sessionCookie(request('https://sync.azurewebsites.net/'), 'id', Date.now() + 1000);
    expect(azure).toMatch(/Secure/);
  });

  it('accepts a form only with the session token and, when sent, our own Origin', () => {
    const session = blankSession(Date.now()).data;
    const form = (csrf: string | null) => new URLSearchParams(csrf === null ? {} : { csrf });
    const url = 'http://127.0.0.1:7071/konten/a/migrieren';
    expect(csrfOk(request(url), session, form(session.csrf))).toBe(true);
    expect(csrfOk(request(url, { origin: 'http://127.0.0.1:7071' }), session, form(session.csrf))).toBe(true);
    expect(csrfOk(request(url), session, form(null))).toBe(false);
    expect(csrfOk(request(url), session, form(`${session.csrf}x`))).toBe(false);
    expect(csrfOk(request(url), session, form('short'))).toBe(false);
    expect(csrfOk(request(url, { origin: 'https://evil.example' }), session, form(session.csrf))).toBe(false);
  });

  it('finds a session by its cookie until it expires, and never by a malformed id', async () => {
    const store = new MemorySessionStore<{ who: string }>();
    const now = Date.now();
    const fresh = blankSession<{ who: string }>(now);
    await store.put(fresh.id, fresh.data);
    const withCookie = (id: string) => request('http://127.0.0.1/', { cookie: `other=1; ccs_session=${id}` });
    expect((await loadSession(store, withCookie(fresh.id), now))?.data.csrf).toBe(fresh.data.csrf);
    expect(await loadSession(store, withCookie(fresh.id), fresh.data.expiresAt)).toBeNull();
    expect(await loadSession(store, withCookie('nope'), now)).toBeNull();
    expect(await loadSession(store, request('http://127.0.0.1/'), now)).toBeNull();
  });

  it('returns only to local paths after sign-in', () => {
    expect(localPath('/konten/a/kontakte?q=x')).toBe('/konten/a/kontakte?q=x');
    for (const bad of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'javascript:x',
      '',
      null,
    ])
      expect(localPath(bad)).toBe('/');
  });

  it('asks the authority for a code with an S256 PKCE challenge of the verifier', async () => {
    const { verifier, challenge } = pkcePair();
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    expect(challenge).toBe(digest.toString('base64url'));
    const url = new URL(
      authorizeUrl(
        {
          authorityHost: 'https://login.example',
          tenant: 'organizations',
          clientId: 'web',
          scope: 'api://x/access_as_user',
        },
        {
          redirectUri: 'http://127.0.0.1:7071/auth/callback',
          state: 's',
          challenge,
          nonce: 'n',
          loginHint: 'a@b.example',
        },
      ),
    );
    expect(url.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'web',
      response_type: 'code',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's',
      login_hint: 'a@b.example',
      scope: 'openid profile api://x/access_as_user',
    });
  });
});
