import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SyncError } from '../../shared/errors.js';

/**
 * The web app's side of the authorization-code flow with PKCE (RFC 7636;
 * learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow): a public client
 * (no secret), S256 challenge, state bound to the browser's session, nonce in the id token.
 */

export interface OidcClientConfig {
  /** e.g. https://login.microsoftonline.com (the emulator's authority locally). */
  authorityHost: string;
  /** `organizations` for a multi-tenant sign-in. */
  tenant: string;
  clientId: string;
  /** The API scope the access token is for, plus openid/profile. */
  scope: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const authority = (c: OidcClientConfig, tenant = c.tenant) =>
  `${c.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}`;

export function authorizeUrl(
  c: OidcClientConfig,
  p: { redirectUri: string; state: string; challenge: string; nonce: string; loginHint?: string | null },
): string {
  const url = new URL(`${authority(c)}/oauth2/v2.0/authorize`);
  url.searchParams.set('client_id', c.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('response_mode', 'query');
  url.searchParams.set('scope', `openid profile ${c.scope}`);
  url.searchParams.set('state', p.state);
  url.searchParams.set('nonce', p.nonce);
  url.searchParams.set('code_challenge', p.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (p.loginHint) url.searchParams.set('login_hint', p.loginHint);
  return url.toString();
}

/** learn.microsoft.com/entra/identity-platform/v2-admin-consent: `/{tenant}/v2.0/adminconsent`. */
export function adminConsentUrl(
  c: Pick<OidcClientConfig, 'authorityHost'>,
  p: { tenant: string; appClientId: string; redirectUri: string; state: string },
): string {
  const url = new URL(
    `${c.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(p.tenant)}/v2.0/adminconsent`,
  );
  url.searchParams.set('client_id', p.appClientId);
  url.searchParams.set('scope', 'https://graph.microsoft.com/.default');
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('state', p.state);
  return url.toString();
}

export function logoutUrl(c: OidcClientConfig, postLogoutRedirectUri: string): string {
  const url = new URL(`${authority(c)}/oauth2/v2.0/logout`);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
  return url.toString();
}

const tokenResponse = z.object({ access_token: z.string().min(1), id_token: z.string().optional() }).loose();
const tokenError = z.object({ error: z.string(), error_description: z.string().optional() }).loose();

/** Redeems the code at the token endpoint; a refusal is an `auth` SyncError without the code in it. */
export async function redeemCode(
  c: OidcClientConfig,
  p: { code: string; redirectUri: string; verifier: string },
  fetchImpl: typeof fetch = fetch,
): Promise<{ accessToken: string; idToken: string | null }> {
  const body = new URLSearchParams({
    client_id: c.clientId,
    grant_type: 'authorization_code',
    code: p.code,
    redirect_uri: p.redirectUri,
    code_verifier: p.verifier,
    scope: `openid profile ${c.scope}`,
  });
  const response = await fetchImpl(`${authority(c)}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const json: unknown = await response.json().catch(() => null);
  const ok = tokenResponse.safeParse(json);
  if (response.ok && ok.success)
    return { accessToken: ok.data.access_token, idToken: ok.data.id_token ?? null };
  const error = tokenError.safeParse(json);
  const code = error.success ? error.data.error : `http_${response.status}`;
  const aadsts = error.success ? (/AADSTS\d+/.exec(error.data.error_description ?? '')?.[0] ?? '') : '';
  throw new SyncError(
    'auth',
    code,
    `the token endpoint refused the code (${code}${aadsts ? ` ${aadsts}` : ''})`,
    {
      status: response.status,
    },
  );
}

/** The id token's nonce, read without verifying (the access token is what is verified). */
export function nonceOf(idToken: string | null): string | null {
  if (!idToken) return null;
  const payload = idToken.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { nonce?: unknown };
    return typeof claims.nonce === 'string' ? claims.nonce : null;
  } catch {
    return null;
  }
}
