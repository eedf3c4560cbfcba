import type { EmuResponse } from './context.js';
import type { TokenIssuer } from './tokens.js';
import { TOKEN_LIFETIME_SECONDS } from './tokens.js';

/**
 * The two Entra endpoints MSAL (inside @azure/identity's ClientSecretCredential) calls with
 * `disableInstanceDiscovery: true`: the OpenID configuration and the v2 token endpoint with
 * the client-credentials grant. Errors use Entra's body (`error`, `error_description` with the
 * AADSTS code, `error_codes`, ids) so MSAL surfaces them as it would in production.
 */
export interface OidcDeps {
  origin: string;
  clientId: string;
  clientSecret: string;
  issuer: TokenIssuer;
  now(): Date;
  /** `'token'` when revoked consent is configured to fail at the token endpoint. */
  consentFailure(tenantId: string): boolean;
}

export function openIdConfiguration(deps: OidcDeps, tenant: string): EmuResponse {
  const base = `${deps.origin}/${tenant}`;
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
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    },
  };
}

function entraError(deps: OidcDeps, status: number, error: string, code: number, text: string): EmuResponse {
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
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(
      deps,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  }
  const clientId = form.get('client_id');
  if (clientId !== deps.clientId) {
    return entraError(
      deps,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  if (form.get('client_secret') !== deps.clientSecret) {
    return entraError(
      deps,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  if (
    !form
      .get('scope')
      ?.split(' ')
      .some((s) => s.endsWith('/.default'))
  ) {
    return entraError(
      deps,
      400,
      'invalid_scope',
      1002012,
      'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
    );
  }
  if (deps.consentFailure(tenant)) {
    return entraError(
      deps,
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
    );
  }
  return {
    status: 200,
    json: {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: deps.issuer.issue(tenant, clientId, deps.now()),
    },
  };
}
