import type { HttpResponseInit } from '@azure/functions';
import type { Principal } from '../../shared/auth/principal.js';
import { isSyncError } from '../../shared/errors.js';
import { authorizeUrl, logoutUrl, nonceOf, pkcePair, redeemCode } from '../auth/oidc-client.js';
import type { Req } from '../context.js';
import { localPath, originOf } from '../http.js';
import { newSessionId, newToken, type SignInFlow } from '../session/session-store.js';
import { clearedCookie } from '../session/web-session.js';
import { finishMigrationSignIn } from './migration.js';

/** The redirect URI of the sign-in: the origin the browser uses (loopback locally, the app's host in Azure). */
export const CALLBACK_PATH = '/auth/callback';

/** Starts a sign-in (plain, or as the migration's step) and sends the browser to the authority. */
export async function startSignIn(
  req: Req,
  intent: SignInFlow['intent'],
  loginHint: string | null,
): Promise<HttpResponseInit> {
  const session = req.ensureSession();
  const { verifier, challenge } = pkcePair();
  const flow: SignInFlow = {
    state: newToken(),
    verifier,
    nonce: newToken(),
    intent,
    startedAt: req.web.wallNow(),
  };
  session.data.flow = flow;
  return req.redirect(
    authorizeUrl(req.web.oidc, {
      redirectUri: originOf(req.request) + CALLBACK_PATH,
      state: flow.state,
      challenge,
      nonce: flow.nonce,
      loginHint,
    }),
  );
}

export async function signInStart(req: Req): Promise<HttpResponseInit> {
  // Expired sessions are removed a few at a time as people sign in: no timer needed for them.
  await req.web.sessions.sweep(req.web.wallNow(), 20).catch(() => 0);
  const returnTo = localPath(new URL(req.request.url).searchParams.get('r'));
  return startSignIn(req, { kind: 'signIn', returnTo }, null);
}

/** The authority's redirect back: state must be this browser's flow; the code is redeemed with the PKCE verifier. */
export async function signInCallback(req: Req): Promise<HttpResponseInit> {
  const query = new URL(req.request.url).searchParams;
  const flow = req.session?.data.flow ?? null;
  const state = query.get('state');
  if (!req.session || !flow || !state || state !== flow.state) return req.error(400, 'SignInStateMismatch');
  req.session.data.flow = null;
  req.touch();
  const code = query.get('code');
  if (!code) {
    // consent_required at sign-in is what Entra answers before an admin approved the app.
    if (query.get('error') === 'consent_required' && flow.intent.kind === 'migrate') {
      return req.redirect(`/konten/${encodeURIComponent(flow.intent.accountId)}/admin-freigabe`);
    }
    req.notice('error', req.m.signInFailed);
    return req.redirect('/');
  }
  let principal: Principal;
  try {
    const tokens = await redeemCode(req.web.oidc, {
      code,
      redirectUri: originOf(req.request) + CALLBACK_PATH,
      verifier: flow.verifier,
    });
    const nonce = nonceOf(tokens.idToken);
    if (nonce !== null && nonce !== flow.nonce) return req.error(400, 'SignInNonceMismatch');
    principal = await req.web.validateAccessToken(tokens.accessToken);
    const exp = expiryOf(tokens.accessToken);
    req.session.data.expiresAt = Math.min(
      exp ?? req.web.wallNow() + 3600_000,
      req.web.wallNow() + 12 * 3600_000,
    );
  } catch (error) {
    if (!isSyncError(error)) throw error;
    // Entra refuses the code when the tenant has not consented: the migration's approval step.
    if (
      flow.intent.kind === 'migrate' &&
      (error.code === 'consent_required' || /AADSTS65001/.test(error.message))
    )
      return req.redirect(`/konten/${encodeURIComponent(flow.intent.accountId)}/admin-freigabe`);
    req.notice('error', req.m.signInFailed);
    return req.redirect('/');
  }
  // A new principal gets a new session id and CSRF token (no session fixation across a sign-in).
  await req.web.sessions.delete(req.session.id);
  req.session.id = newSessionId();
  req.session.data.principal = principal;
  req.session.data.displayName = principal.name || principal.username;
  req.session.data.csrf = newToken();
  if (flow.intent.kind === 'signIn') return req.redirect(flow.intent.returnTo);
  if (flow.intent.kind === 'migrate')
    return finishMigrationSignIn(req, flow.intent.accountId, flow.intent.provider);
  return req.redirect('/');
}

function expiryOf(jwt: string): number | null {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

export async function signOut(req: Req): Promise<HttpResponseInit> {
  if (req.session) await req.web.sessions.delete(req.session.id);
  const headers = await req.headers();
  return {
    status: 303,
    headers: {
      ...headers,
      'set-cookie': clearedCookie(req.request),
      location: logoutUrl(req.web.oidc, `${originOf(req.request)}/`),
    },
  };
}
