import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { TableAudit } from '../shared/adapters/tables/table-audit.js';
import {
  bearerChallenge,
  bearerToken,
  createAccessTokenValidator,
  type Principal,
  type ValidateAccessToken,
} from '../shared/auth/index.js';
import { isSyncError, toError } from '../shared/errors.js';
import type { AuditLog } from '../shared/service/audit.js';
import { type Runtime, runtime } from './runtime.js';

/**
 * What the API's routes need besides the sync runtime: the token validator and the audit log,
 * built once per process from the same configuration. `authenticated(handler)` is the only
 * way a route gets a principal; test/consistency checks that every route but the webhooks and
 * the health probe is wrapped in it.
 */
export interface ApiContext {
  rt: Runtime;
  validate: ValidateAccessToken;
  audit: AuditLog;
}

let current: { rt: Runtime; context: Promise<ApiContext> } | undefined;

export async function apiContext(): Promise<ApiContext> {
  const rt = await runtime();
  // A new runtime (the local stack rebuilds it once its port is known) gets a new context.
  if (current?.rt !== rt) {
    const context = buildApiContext(rt);
    current = { rt, context };
    // A failed build (storage unreachable) is tried again by the next request.
    context.catch(() => {
      if (current?.context === context) current = undefined;
    });
  }
  return current.context;
}

async function buildApiContext(rt: Runtime): Promise<ApiContext> {
  const { config } = rt;
  return {
    rt,
    validate: createAccessTokenValidator({
      authorityHost: config.graph.authorityHost,
      audiences: config.api.audiences,
      homeTenantId: config.graph.tenantId,
      serviceTenants: config.api.serviceTenants,
    }),
    audit: await TableAudit.create({ connectionString: config.storageConnection }),
  };
}

export type AuthenticatedHandler = (
  request: HttpRequest,
  context: InvocationContext,
  api: ApiContext & { principal: Principal },
) => Promise<HttpResponseInit>;

const AUTHENTICATED = Symbol('authenticated');

/** True for handlers made by `authenticated` (read by test/consistency). */
export function isAuthenticated(handler: HttpHandler): boolean {
  return (handler as { [AUTHENTICATED]?: boolean })[AUTHENTICATED] === true;
}

function unauthorized(
  status: 401 | 403 | 503,
  code: string,
  message: string,
  error?: 'invalid_token' | 'insufficient_scope',
): HttpResponseInit {
  return {
    status,
    headers:
      status === 503 ? { 'retry-after': '5' } : { 'www-authenticate': bearerChallenge(error, message) },
    jsonBody: { error: { code, message } },
  };
}

/**
 * Requires `Authorization: Bearer <Entra ID access token for this API>` before the handler runs:
 * 401 (with `WWW-Authenticate: Bearer`) for a missing or bad token, 403 for a valid token without
 * the scope or role, 503 when the authority's keys cannot be read. Never a 500, never data.
 */
export function authenticated(handler: AuthenticatedHandler): HttpHandler {
  const wrapped: HttpHandler = async (request, context) => {
    const header = request.headers.get('authorization');
    const token = bearerToken(header);
    if (!token) {
      return header
        ? unauthorized(401, 'InvalidToken', 'the Authorization header is not a bearer token', 'invalid_token')
        : unauthorized(
            401,
            'Unauthenticated',
            'this route needs an Entra ID access token (Authorization: Bearer)',
          );
    }
    let api: ApiContext;
    try {
      api = await apiContext();
    } catch (error) {
      const rt = await runtime().catch(() => null);
      context.error(`the API context could not be built: ${rt ? rt.redact(error) : 'no runtime'}`);
      return unauthorized(503, 'Unavailable', 'the service cannot check sign-ins right now; retry');
    }
    let principal: Principal;
    try {
      principal = await api.validate(token);
    } catch (error) {
      if (isSyncError(error, 'auth')) {
        return error.status === 403
          ? unauthorized(403, 'Forbidden', error.message, 'insufficient_scope')
          : unauthorized(401, 'InvalidToken', error.message, 'invalid_token');
      }
      context.warn(`token validation could not complete: ${api.rt.redact(toError(error))}`);
      return unauthorized(503, 'AuthorityUnavailable', 'the sign-in keys cannot be read right now; retry');
    }
    return handler(request, context, { ...api, principal });
  };
  Object.defineProperty(wrapped, AUTHENTICATED, { value: true });
  return wrapped;
}
