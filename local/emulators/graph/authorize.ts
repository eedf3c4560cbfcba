import type { EmuResponse } from './context.js';
import { TENANT_ADMIN_ROLE } from './directory.js';
import { MULTI_TENANT, type OidcDeps, requestedScopes, signIn } from './oidc.js';
import { errorPage, redirect, signInPage } from './sign-in-page.js';

/**
 * The browser endpoints of Entra v2: authorize (authorization code with PKCE,
 * learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow), admin consent
 * (v2-admin-consent: `/{tenant}/adminconsent` and `/{tenant}/v2.0/adminconsent`), and logout
 * (v2-protocols-oidc "Send a sign-out request"). Requests naming an unknown client or an
 * unregistered redirect URI get an error page, never a redirect; every other error goes back to
 * the redirect URI as `?error=…&error_description=…&state=…`. A sign-in leaves a session
 * cookie, so a later `prompt=none` request signs in silently as Entra's SSO does.
 */
const SESSION_COOKIE = 'emu_session';
const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface BrowserRequest {
  method: string;
  tenant: string;
  /** GET query or POST form: the parameters of the request. */
  params: URLSearchParams;
  cookie: string;
  /** The path the page posts back to. */
  path: string;
}

function withParams(uri: string, params: Record<string, string | null>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

function errorRedirect(uri: string, error: string, description: string, state: string | null): EmuResponse {
  return redirect(withParams(uri, { error, error_description: description, state }));
}

function session(cookie: string): string | undefined {
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

const hiddenOf = (params: URLSearchParams, names: string[]) =>
  Object.fromEntries(names.flatMap((n) => (params.get(n) === null ? [] : [[n, params.get(n) ?? '']])));

const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'login_hint',
];

export function authorize(deps: OidcDeps, req: BrowserRequest): EmuResponse {
  const p = req.params;
  const { clients } = deps.directory;
  const clientId = p.get('client_id');
  if (clientId !== clients.webClientId) {
    return errorPage(
      'Anmeldung nicht möglich',
      `AADSTS700016: Application with identifier '${clientId}' was not found.`,
    );
  }
  const redirectUri = p.get('redirect_uri') ?? '';
  if (!deps.directory.isRedirectUri(redirectUri)) {
    return errorPage(
      'Anmeldung nicht möglich',
      `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  const state = p.get('state');
  if (p.get('response_type') !== 'code') {
    return errorRedirect(
      redirectUri,
      'unsupported_response_type',
      'AADSTS70005: response_type must be code.',
      state,
    );
  }
  if (!p.get('code_challenge') || p.get('code_challenge_method') !== 'S256') {
    return errorRedirect(
      redirectUri,
      'invalid_request',
      'AADSTS9002325: Proof Key for Code Exchange (code_challenge with code_challenge_method=S256) is required.',
      state,
    );
  }
  const scopes = requestedScopes(deps, p.get('scope'));
  if ('status' in scopes) {
    return errorRedirect(
      redirectUri,
      'invalid_scope',
      `AADSTS70011: The scope '${p.get('scope') ?? ''}' is not valid.`,
      state,
    );
  }
  const issueCode = (userId: string, headers: Record<string, string> = {}) => {
    const code = deps.directory.newCode({
      clientId,
      redirectUri,
      codeChallenge: p.get('code_challenge'),
      scopes,
      nonce: p.get('nonce'),
      userId,
      expiresAt: deps.now().getTime() + CODE_LIFETIME_MS,
    });
    return redirect(withParams(redirectUri, { code, state }), headers);
  };
  const page = (error?: string, login?: string) =>
    signInPage({
      action: req.path,
      hidden: hiddenOf(p, AUTHORIZE_PARAMS),
      title: 'Anmelden',
      intro:
        'Melden Sie sich mit Ihrem Geschäftskonto an, um die Kontaktsynchronisierung zu verwalten. (Sign in with your work account.)',
      ...(login ? { login } : p.get('login_hint') ? { login: p.get('login_hint') ?? '' } : {}),
      ...(error ? { error } : {}),
    });

  if (req.method === 'GET') {
    const prompt = p.get('prompt');
    const existing = deps.directory.sessionUser(session(req.cookie));
    const tenantOk = existing && (MULTI_TENANT.has(req.tenant) || existing.tenantId === req.tenant);
    const hint = p.get('login_hint');
    if (
      existing &&
      tenantOk &&
      prompt !== 'login' &&
      (!hint || hint.toLowerCase() === existing.mail.toLowerCase())
    ) {
      return issueCode(existing.id);
    }
    if (prompt === 'none') {
      return errorRedirect(
        redirectUri,
        'login_required',
        'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
        state,
      );
    }
    return page();
  }
  const login = p.get('login') ?? '';
  const result = signIn(deps, req.tenant, login, p.get('password') ?? '');
  if ('status' in result) {
    const code = (result.json as { error_codes?: number[] }).error_codes?.[0];
    if (code === 65001) {
      return errorRedirect(
        redirectUri,
        'consent_required',
        'AADSTS65001: The user or administrator has not consented to use the application.',
        state,
      );
    }
    return page(
      code === 50126 || code === 50034
        ? 'Ihr Konto oder Kennwort ist falsch. (Your account or password is incorrect.)'
        : 'Dieses Konto gehört nicht zu diesem Mandanten. (This account is not in this tenant.)',
      login,
    );
  }
  return issueCode(result.id, {
    'Set-Cookie': `${SESSION_COOKIE}=${deps.directory.newSession(result.id)}; Path=/; HttpOnly; Secure; SameSite=None`,
  });
}

export function adminConsent(deps: OidcDeps, req: BrowserRequest): EmuResponse {
  const p = req.params;
  const { clients } = deps.directory;
  const clientId = p.get('client_id');
  if (clientId !== clients.apiClientId) {
    return errorPage(
      'Genehmigung nicht möglich',
      `AADSTS700016: Application with identifier '${clientId}' was not found.`,
    );
  }
  const redirectUri = p.get('redirect_uri') ?? '';
  if (!deps.directory.isRedirectUri(redirectUri)) {
    return errorPage(
      'Genehmigung nicht möglich',
      `AADSTS50011: The redirect URI '${redirectUri}' is not configured for the application.`,
    );
  }
  const state = p.get('state');
  const page = (error?: string, login?: string) =>
    signInPage({
      action: req.path,
      hidden: hiddenOf(p, ['client_id', 'redirect_uri', 'state', 'scope']),
      title: 'Berechtigungen angefordert',
      intro:
        'Die Kontaktsynchronisierung möchte die Kontakte aller Postfächer Ihrer Organisation lesen und schreiben. Melden Sie sich als Administrator an, um für Ihre Organisation zuzustimmen. (Sign in as an administrator to grant consent for your organisation.)',
      cancel: true,
      ...(login ? { login } : {}),
      ...(error ? { error } : {}),
    });
  if (req.method === 'GET') return page();
  if (p.get('cancel')) {
    return errorRedirect(redirectUri, 'permission_denied', 'The admin canceled the request', state);
  }
  const login = p.get('login') ?? '';
  const result = signIn(deps, req.tenant, login, p.get('password') ?? '', { checkConsent: false });
  if ('status' in result)
    return page('Ihr Konto oder Kennwort ist falsch. (Your account or password is incorrect.)', login);
  if (!result.roles.includes(TENANT_ADMIN_ROLE)) {
    return page(
      'AADSTS90094: Für diese Genehmigung ist ein Administrator Ihrer Organisation erforderlich. (An administrator of your organisation must grant this.)',
      login,
    );
  }
  deps.grantConsent(result.tenantId);
  const scope = p.get('scope');
  return redirect(withParams(redirectUri, { admin_consent: 'True', tenant: result.tenantId, state, scope }));
}

export function logout(deps: OidcDeps, req: BrowserRequest): EmuResponse {
  deps.directory.endSession(session(req.cookie));
  const clear = { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=None; Max-Age=0` };
  const target = req.params.get('post_logout_redirect_uri');
  if (target && deps.directory.isRedirectUri(target)) return redirect(target, clear);
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...clear },
    text: '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Abgemeldet</title></head><body><main><h1>Sie wurden abgemeldet.</h1><p>You signed out.</p></main></body></html>',
  };
}
