import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  type RunningGraphEmulator,
  SECOND_TENANT_ID,
  startGraphEmulator,
} from '../../../local/emulators/graph/index.js';
import { accessToken, call } from './support.js';

/**
 * The emulator's Entra part, checked against Microsoft's protocol pages:
 * - OpenID metadata and keys: learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
 *   ("Find your app's OpenID configuration document URI"; common's issuer has `{tenantid}`);
 * - access token claims: learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 *   (`aud` = the API's client id in v2 tokens, `scp` for delegated, `roles` for app roles, `tid`, `oid`);
 * - client credentials: v2-oauth2-client-creds-grant-flow (scope `{resource}/.default`);
 * - ROPC: v2-oauth-ropc (AADSTS50126 on a bad password);
 * - authorization code + PKCE: v2-oauth2-auth-code-flow (code single use: AADSTS54005;
 *   errors back to the redirect URI with `error`, `error_description`, `state`);
 * - admin consent: v2-admin-consent (success: `admin_consent=True&tenant=…&state=…`).
 */
let emulator: RunningGraphEmulator;
const agent = { mail: 'agnes@contoso.test', password: 'Agnes-Pass-1' };
const admin = { mail: 'admin@contoso.test', password: 'Admin-Pass-1' };
const other = { mail: 'otto@fabrikam.test', password: 'Otto-Pass-1' };
const redirectUri = 'http://127.0.0.1:5173/auth/callback';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ id: 'u-agnes', ...agent, tenantId: emulator.tenantId });
  emulator.admin.createMailbox({
    id: 'u-admin',
    ...admin,
    tenantId: emulator.tenantId,
    roles: ['Sync.TenantAdmin'],
  });
  emulator.admin.createMailbox({ id: 'u-otto', ...other, tenantId: SECOND_TENANT_ID });
});

const tokenUrl = (tenant: string) => `${emulator.authorityHost}/${tenant}/oauth2/v2.0/token`;

async function token(tenant: string, form: Record<string, string>) {
  const response = await fetch(tokenUrl(tenant), { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const password = (user: { mail: string; password: string }, tenant = 'organizations', extra = {}) =>
  token(tenant, {
    grant_type: 'password',
    client_id: emulator.webClientId,
    username: user.mail,
    password: user.password,
    scope: `${emulator.apiScope} openid profile`,
    ...extra,
  });

async function verify(tokenValue: string, tenant: string) {
  const metadata = (await (
    await fetch(`${emulator.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`)
  ).json()) as { issuer: string; jwks_uri: string };
  const claims = decodeJwt(tokenValue);
  const { payload, protectedHeader } = await jwtVerify(
    tokenValue,
    createRemoteJWKSet(new URL(metadata.jwks_uri)),
    {
      algorithms: ['RS256'],
      issuer: metadata.issuer.replace('{tenantid}', String(claims.tid)),
    },
  );
  return { payload, protectedHeader };
}

describe('OpenID metadata and keys', () => {
  it('publishes a tenant issuer, and the {tenantid} template for organizations and common', async () => {
    for (const [tenant, issuer] of [
      [emulator.tenantId, `${emulator.authorityHost}/${emulator.tenantId}/v2.0`],
      ['organizations', `${emulator.authorityHost}/{tenantid}/v2.0`],
      ['common', `${emulator.authorityHost}/{tenantid}/v2.0`],
    ] as const) {
      const response = await fetch(
        `${emulator.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`,
      );
      const body = (await response.json()) as Record<string, string>;
      expect(body['issuer']).toBe(issuer);
      expect(body['jwks_uri']).toBe(`${emulator.authorityHost}/${tenant}/discovery/v2.0/keys`);
      expect(body['authorization_endpoint']).toBe(
        `${emulator.authorityHost}/${tenant}/oauth2/v2.0/authorize`,
      );
    }
    const keys = (await (await fetch(`${emulator.authorityHost}/common/discovery/v2.0/keys`)).json()) as {
      keys: { kty: string; kid: string; n: string; e: string }[];
    };
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', e: 'AQAB' });
  });

  it('signs Graph tokens RS256 with the published key too', async () => {
    const graphToken = await accessToken(emulator);
    const { protectedHeader, payload } = await verify(graphToken, emulator.tenantId);
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.aud).toBe('https://graph.microsoft.com');
  });
});

describe('client credentials for the API', () => {
  it('gives the service caller the Sync.Admin role in the home tenant', async () => {
    const { status, body } = await token(emulator.tenantId, {
      grant_type: 'client_credentials',
      client_id: emulator.serviceClientId,
      client_secret: emulator.serviceClientSecret,
      scope: `api://${emulator.apiClientId}/.default`,
    });
    expect(status).toBe(200);
    const { payload } = await verify(String(body['access_token']), emulator.tenantId);
    expect(payload).toMatchObject({
      aud: emulator.apiClientId,
      tid: emulator.tenantId,
      roles: ['Sync.Admin'],
      idtyp: 'app',
    });
    expect(payload.scp).toBeUndefined();
  });

  it('refuses a wrong secret with AADSTS7000215', async () => {
    const { status, body } = await token(emulator.tenantId, {
      grant_type: 'client_credentials',
      client_id: emulator.serviceClientId,
      client_secret: 'wrong',
      scope: `api://${emulator.apiClientId}/.default`,
    });
    expect(status).toBe(401);
    expect(body['error_codes']).toEqual([7000215]);
  });
});

describe('password grant (ROPC)', () => {
  it('issues a delegated token with scp, oid, tid and preferred_username; the issuer is the user tenant', async () => {
    const { status, body } = await password(other);
    expect(status).toBe(200);
    const { payload } = await verify(String(body['access_token']), 'organizations');
    expect(payload).toMatchObject({
      iss: `${emulator.authorityHost}/${SECOND_TENANT_ID}/v2.0`,
      aud: emulator.apiClientId,
      tid: SECOND_TENANT_ID,
      oid: 'u-otto',
      preferred_username: other.mail,
      scp: 'access_as_user',
    });
    expect(payload.roles).toBeUndefined();
    expect(decodeJwt(String(body['id_token'])).aud).toBe(emulator.webClientId);
  });

  it('puts the tenant admin role in roles', async () => {
    const { body } = await password(admin);
    expect(decodeJwt(String(body['access_token'])).roles).toEqual(['Sync.TenantAdmin']);
  });

  it('refuses a bad password (50126), an unknown user (50034) and a user of another tenant (50020)', async () => {
    expect((await password({ ...agent, password: 'nope' })).body['error_codes']).toEqual([50126]);
    expect((await password({ mail: 'nobody@contoso.test', password: 'x' })).body['error_codes']).toEqual([
      50034,
    ]);
    expect((await password(other, emulator.tenantId)).body['error_codes']).toEqual([50020]);
  });

  it('refuses a scope that does not name the API', async () => {
    const { status, body } = await password(agent, 'organizations', {
      scope: 'api://someone-else/access_as_user',
    });
    expect(status).toBe(400);
    expect(body['error']).toBe('invalid_scope');
  });
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeUrl(challenge: string, extra: Record<string, string> = {}) {
  const url = new URL(`${emulator.authorityHost}/organizations/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: emulator.webClientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: `openid profile ${emulator.apiScope}`,
    state: 'st-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  }))
    url.searchParams.set(k, v);
  return url;
}

/** Fills and submits the sign-in form as a browser would: every hidden field, login, password. */
async function submitSignIn(
  page: Response,
  login: string,
  secret: string,
  extra: Record<string, string> = {},
) {
  const html = await page.text();
  expect(html).toMatch(/<label for="login">/);
  expect(html).toMatch(/<label for="password">/);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(
      match[1] ?? '',
      (match[2] ?? '').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
    );
  }
  fields.set('login', login);
  fields.set('password', secret);
  for (const [k, v] of Object.entries(extra)) fields.set(k, v);
  return fetch(new URL(action, emulator.authorityHost), { method: 'POST', body: fields, redirect: 'manual' });
}

describe('authorization code with PKCE', () => {
  it('signs in on the HTML page, redirects with code and state, and redeems the code once', async () => {
    const { verifier, challenge } = pkce();
    const page = await fetch(authorizeUrl(challenge, { nonce: 'n-1' }));
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const answer = await submitSignIn(page, agent.mail, agent.password);
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') ?? '';
    const redeem = () =>
      token('organizations', {
        grant_type: 'authorization_code',
        client_id: emulator.webClientId,
        code,
        code_verifier: verifier,
        redirect_uri: redirectUri,
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    expect(decodeJwt(String(first.body['access_token']))).toMatchObject({
      oid: 'u-agnes',
      scp: 'access_as_user',
    });
    expect(decodeJwt(String(first.body['id_token']))).toMatchObject({
      nonce: 'n-1',
      aud: emulator.webClientId,
    });
    const second = await redeem();
    expect(second.body['error_codes']).toEqual([54005]);
  });

  it('refuses a code_verifier that does not match the challenge', async () => {
    const { challenge } = pkce();
    const answer = await submitSignIn(await fetch(authorizeUrl(challenge)), agent.mail, agent.password);
    const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const result = await token('organizations', {
      grant_type: 'authorization_code',
      client_id: emulator.webClientId,
      code,
      code_verifier: pkce().verifier,
      redirect_uri: redirectUri,
    });
    expect(result.status).toBe(400);
    expect(result.body['error']).toBe('invalid_grant');
  });

  it('shows the page again on a wrong password, and signs in silently with the session cookie', async () => {
    const { challenge } = pkce();
    const wrong = await submitSignIn(await fetch(authorizeUrl(challenge)), agent.mail, 'nope');
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toMatch(/Kennwort ist falsch/);
    const none = await fetch(authorizeUrl(challenge, { prompt: 'none' }), { redirect: 'manual' });
    expect(new URL(none.headers.get('location') ?? '').searchParams.get('error')).toBe('login_required');
    const ok = await submitSignIn(await fetch(authorizeUrl(challenge)), agent.mail, agent.password);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const silent = await fetch(authorizeUrl(challenge, { prompt: 'none' }), {
      redirect: 'manual',
      headers: { cookie },
    });
    expect(new URL(silent.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
  });

  it('answers an unregistered redirect URI with an error page, other errors at the redirect URI', async () => {
    const { challenge } = pkce();
    const bad = await fetch(authorizeUrl(challenge, { redirect_uri: 'https://evil.example/cb' }), {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/AADSTS50011/);
    const noPkce = await fetch(authorizeUrl('', { code_challenge_method: 'plain' }), { redirect: 'manual' });
    const location = new URL(noPkce.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st-1');
  });

  it('logs out: clears the session and redirects to post_logout_redirect_uri', async () => {
    const url = `${emulator.authorityHost}/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(redirectUri)}`;
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(redirectUri);
    expect(answer.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});

describe('admin consent', () => {
  const consentUrl = (tenant: string) =>
    `${emulator.authorityHost}/${tenant}/v2.0/adminconsent?client_id=${emulator.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=c-1&scope=${encodeURIComponent('https://graph.microsoft.com/.default')}`;

  it('a tenant administrator grants consent; Graph then answers again', async () => {
    emulator.admin.createMailbox({ mail: 'box@contoso.test', tenantId: emulator.tenantId });
    await emulator.admin.fault({ kind: 'revokeConsent' });
    const graphToken = await accessToken(emulator);
    expect((await call(emulator, graphToken, 'GET', '/users/box@contoso.test/contacts')).status).toBe(403);
    const answer = await submitSignIn(await fetch(consentUrl('organizations')), admin.mail, admin.password);
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('admin_consent')).toBe('True');
    expect(location.searchParams.get('tenant')).toBe(emulator.tenantId);
    expect(location.searchParams.get('state')).toBe('c-1');
    expect((await call(emulator, graphToken, 'GET', '/users/box@contoso.test/contacts')).status).toBe(200);
  });

  it('an agent cannot grant it; cancel answers permission_denied', async () => {
    const refused = await submitSignIn(
      await fetch(consentUrl(emulator.tenantId)),
      agent.mail,
      agent.password,
    );
    expect(refused.status).toBe(200);
    expect(await refused.text()).toMatch(/AADSTS90094/);
    const cancelled = await submitSignIn(await fetch(consentUrl(emulator.tenantId)), agent.mail, 'x', {
      cancel: '1',
    });
    expect(new URL(cancelled.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'permission_denied',
    );
  });
});
