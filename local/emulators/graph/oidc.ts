import { createHash } from 'node:crypto';
import type { EmuResponse } from './context.js';
import {
  API_SCOPE_NAME,
  type Directory,
  type DirectoryUser,
  SERVICE_ROLE,
  TENANT_ADMIN_ROLE,
} from './directory.js';
import type { TokenIssuer } from './tokens.js';
import { TOKEN_LIFETIME_SECONDS } from './tokens.js';

/**
 * Entra's v2 endpoints: the OpenID configuration, the JWKS and the token endpoint with the
 * client-credentials, password (ROPC) and authorization-code (+PKCE) grants
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
 * v2-oauth-ropc, v2-oauth2-auth-code-flow). Errors use Entra's body (`error`,
 * `error_description` with the AADSTS code, `error_codes`, ids) so MSAL surfaces them as in
 * production. `common`/`organizations` are accepted as the tenant of user flows; the issuer
 * is always the user's own tenant.
 */
export interface OidcDeps {
  origin: string;
  /** The home tenant of the app registrations (and of the service caller). */
  homeTenantId: string;
  directory: Directory;
  issuer: TokenIssuer;
  now(): Date;
  /** Where revoked consent shows, if it is revoked for the tenant. */
  consentRevoked(tenantId: string): 'graph' | 'token' | undefined;
  grantConsent(tenantId: string): void;
}

export const MULTI_TENANT = new Set(['common', 'organizations']);

export function openIdConfiguration(deps: OidcDeps, tenant: string): EmuResponse {
  const base = `${deps.origin}/${tenant}`;
  const issuerTenant = MULTI_TENANT.has(tenant) ? '{tenantid}' : tenant;
  return {
    status: 200,
    json: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${deps.origin}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'oid',
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    },
  };
}

export function entraError(
  deps: OidcDeps,
  status: number,
  error: string,
  code: number,
  text: string,
): EmuResponse {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  const timestamp = deps
    .now()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return {
    status,
    json: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${deps.origin}/error?code=${code}`,
    },
  };
}

export function issueToken(deps: OidcDeps, tenant: string, form: URLSearchParams): EmuResponse {
  switch (form.get('grant_type')) {
    case 'client_credentials':
      return clientCredentials(deps, tenant, form);
    case 'password':
      return passwordGrant(deps, tenant, form);
    case 'authorization_code':
      return codeGrant(deps, tenant, form);
    default:
      return entraError(
        deps,
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
  }
}

function unknownClient(deps: OidcDeps, clientId: string | null, tenant: string): EmuResponse {
  return entraError(
    deps,
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
  );
}

function badSecret(deps: OidcDeps, clientId: string): EmuResponse {
  return entraError(
    deps,
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );
}

function clientCredentials(deps: OidcDeps, tenant: string, form: URLSearchParams): EmuResponse {
  const { clients } = deps.directory;
  const clientId = form.get('client_id');
  const secrets = new Map([
    [clients.apiClientId, clients.clientSecret],
    [clients.serviceClientId, clients.serviceClientSecret],
  ]);
  const expected = clientId === null ? undefined : secrets.get(clientId);
  if (clientId === null || expected === undefined) return unknownClient(deps, clientId, tenant);
  if (form.get('client_secret') !== expected) return badSecret(deps, clientId);
  const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
  if (!scope) {
    return entraError(
      deps,
      400,
      'invalid_scope',
      1002012,
      'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
    );
  }
  if (deps.consentRevoked(tenant) === 'token') return notConsented(deps, clientId);
  const now = deps.now();
  const resource = scope.slice(0, -'/.default'.length);
  if (apiResource(deps, resource)) {
    // The app's own API: the service caller holds the Sync.Admin app role (assigned in the home tenant).
    const roles = clientId === clients.serviceClientId && tenant === deps.homeTenantId ? [SERVICE_ROLE] : [];
    const oid =
      clientId === clients.serviceClientId ? servicePrincipalId(clientId, tenant) : crypto.randomUUID();
    const claims = {
      ...deps.issuer.baseClaims(tenant, now),
      aud: clients.apiClientId,
      azp: clientId,
      azpacr: '1',
      idtyp: 'app',
      oid,
      sub: oid,
      ...(roles.length > 0 ? { roles } : {}),
    };
    return tokenResponse(deps.issuer.sign(claims));
  }
  if (clientId !== clients.apiClientId || resource !== 'https://graph.microsoft.com') {
    return entraError(
      deps,
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}.`,
    );
  }
  return tokenResponse(deps.issuer.issue(tenant, clientId, now));
}

function notConsented(deps: OidcDeps, clientId: string): EmuResponse {
  return entraError(
    deps,
    400,
    'invalid_grant',
    65001,
    `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
  );
}

function passwordGrant(deps: OidcDeps, tenant: string, form: URLSearchParams): EmuResponse {
  const clientId = form.get('client_id');
  if (clientId !== deps.directory.clients.webClientId) return unknownClient(deps, clientId, tenant);
  const signedIn = signIn(deps, tenant, form.get('username') ?? '', form.get('password') ?? '');
  if ('status' in signedIn) return signedIn;
  const scopes = requestedScopes(deps, form.get('scope'));
  if ('status' in scopes) return scopes;
  return userTokens(deps, signedIn, scopes, clientId, null);
}

/** Checks a user's credentials against the tenant named in the path (AADSTS50034, 50126, 50020). */
export function signIn(
  deps: OidcDeps,
  tenant: string,
  login: string,
  password: string,
  options: { checkConsent: boolean } = { checkConsent: true },
): DirectoryUser | EmuResponse {
  const result = deps.directory.authenticate(login, password);
  if (result === 'unknownUser') {
    return entraError(
      deps,
      400,
      'invalid_grant',
      50034,
      `The user account ${login} does not exist in the ${tenant} directory.`,
    );
  }
  if (result === 'badPassword') {
    return entraError(
      deps,
      400,
      'invalid_grant',
      50126,
      'Error validating credentials due to invalid username or password.',
    );
  }
  if (!MULTI_TENANT.has(tenant) && tenant !== result.tenantId) {
    return entraError(
      deps,
      400,
      'invalid_grant',
      50020,
      `User account '${login}' from identity provider does not exist in tenant '${tenant}' and cannot access the application.`,
    );
  }
  if (options.checkConsent && deps.consentRevoked(result.tenantId) !== undefined)
    return notConsented(deps, deps.directory.clients.webClientId);
  return result;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The API's scopes asked for (`api://{app}/access_as_user` or `{app}/access_as_user`), besides OIDC's. */
export function requestedScopes(deps: OidcDeps, scope: string | null): string[] | EmuResponse {
  const asked = (scope ?? '').split(' ').filter(Boolean);
  const api: string[] = [];
  for (const s of asked) {
    if (OIDC_SCOPES.has(s)) continue;
    const slash = s.lastIndexOf('/');
    const resource = s.slice(0, slash);
    const name = s.slice(slash + 1);
    if (slash < 0 || !apiResource(deps, resource) || name !== API_SCOPE_NAME) {
      return entraError(
        deps,
        400,
        'invalid_scope',
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid.`,
      );
    }
    api.push(name);
  }
  if (api.length === 0) {
    return entraError(
      deps,
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope '${scope ?? ''}' does not name the API.`,
    );
  }
  return [...new Set([...asked.filter((s) => OIDC_SCOPES.has(s)), ...api])];
}

function apiResource(deps: OidcDeps, resource: string): boolean {
  const app = deps.directory.clients.apiClientId;
  return resource === app || resource === `api://${app}`;
}

function codeGrant(deps: OidcDeps, tenant: string, form: URLSearchParams): EmuResponse {
  const clientId = form.get('client_id');
  if (clientId !== deps.directory.clients.webClientId) return unknownClient(deps, clientId, tenant);
  const code = deps.directory.takeCode(form.get('code') ?? '');
  const invalid = (n: number, text: string) => entraError(deps, 400, 'invalid_grant', n, text);
  if (!code)
    return invalid(
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  if (code.expiresAt <= deps.now().getTime())
    return invalid(70008, 'The provided authorization code or refresh token has expired due to inactivity.');
  if (code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) {
    return invalid(
      50148,
      'The redirect_uri or client_id does not match the one the authorization code was issued for.',
    );
  }
  const verifier = form.get('code_verifier') ?? '';
  if (
    code.codeChallenge !== null &&
    createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge
  ) {
    return invalid(
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    );
  }
  const user = deps.directory.find(code.userId);
  if (!user || (!MULTI_TENANT.has(tenant) && tenant !== user.tenantId))
    return invalid(50020, 'The user does not exist in the tenant.');
  return userTokens(deps, user, code.scopes, clientId, code.nonce);
}

function userTokens(
  deps: OidcDeps,
  user: DirectoryUser,
  scopes: string[],
  clientId: string,
  nonce: string | null,
): EmuResponse {
  const now = deps.now();
  const base = deps.issuer.baseClaims(user.tenantId, now);
  const apiScopes = scopes.filter((s) => !OIDC_SCOPES.has(s));
  const roles = user.roles.filter((r) => r === TENANT_ADMIN_ROLE);
  const access = deps.issuer.sign({
    ...base,
    aud: deps.directory.clients.apiClientId,
    azp: clientId,
    azpacr: '0',
    oid: user.id,
    sub: pairwise(user.id, deps.directory.clients.apiClientId),
    preferred_username: user.mail,
    name: user.displayName,
    scp: apiScopes.join(' '),
    ...(roles.length > 0 ? { roles } : {}),
  });
  const idToken = scopes.includes('openid')
    ? deps.issuer.sign({
        ...base,
        aud: clientId,
        oid: user.id,
        sub: pairwise(user.id, clientId),
        preferred_username: user.mail,
        name: user.displayName,
        ...(nonce ? { nonce } : {}),
      })
    : undefined;
  return tokenResponse(access, {
    scope: scopes
      .map((s) => (OIDC_SCOPES.has(s) ? s : `api://${deps.directory.clients.apiClientId}/${s}`))
      .join(' '),
    ...(idToken ? { id_token: idToken } : {}),
  });
}

function tokenResponse(accessToken: string, extra: Record<string, string> = {}): EmuResponse {
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    json: {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
      ...extra,
    },
  };
}

/** `sub` is pairwise (per user and app) in Entra; a hash keeps it stable and opaque. */
function pairwise(userId: string, appId: string): string {
  return createHash('sha256').update(`${userId}|${appId}`).digest('base64url').slice(0, 43);
}

/** The service principal of an app in a tenant has one stable object id. */
function servicePrincipalId(appId: string, tenant: string): string {
  const hex = createHash('sha256').update(`sp|${appId}|${tenant}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
