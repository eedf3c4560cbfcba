import type { Caller, EmulatorEnv, EmuRequest, EmuResponse } from './context.js';
import { GraphHttpError, graphErrorBody } from './errors.js';
import type { FaultState } from './faults.js';
import { IMMUTABLE_PREFERENCE, wantsImmutableIds } from './id-type.js';
import type { RequestLog } from './request-log.js';
import { matchRoute, type Route } from './router.js';
import type { Throttle } from './throttle.js';
import type { TokenIssuer } from './tokens.js';

/**
 * The Graph request pipeline, in the order Graph applies it: authentication, consent,
 * injected bursts, per-mailbox throttling, then the route. Every outcome, thrown or not,
 * becomes a Graph-shaped response and one request-log entry.
 */
export interface PipelineDeps {
  routes: Route[];
  issuer: TokenIssuer;
  throttle: Throttle;
  faults: FaultState;
  log: RequestLog;
  env: () => EmulatorEnv;
  now(): Date;
  print: (line: string) => void;
}

const BURST_CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export async function dispatch(
  deps: PipelineDeps,
  req: EmuRequest,
  outerCaller: Caller | null,
): Promise<EmuResponse> {
  let route = `${req.method} <unmatched>`;
  let mailbox: string | undefined;
  let response: EmuResponse;
  try {
    const caller = outerCaller ?? authenticate(deps, req);
    if (deps.faults.revokedConsent.get(caller.tenantId) === 'graph') {
      throw new GraphHttpError(
        403,
        'ErrorAccessDenied',
        'Access is denied. Check credentials and try again.',
      );
    }
    const match = matchRoute(deps.routes, req.method, req.path, req.version);
    if (match === 'method')
      throw new GraphHttpError(
        405,
        'BadRequest',
        `The HTTP method '${req.method}' is not allowed for this resource.`,
      );
    if (!match)
      throw new GraphHttpError(
        400,
        'BadRequest',
        `Resource not found for the segment '${lastSegment(req.path)}'.`,
      );
    route = `${req.method} ${match.route.template}`;
    const burst = deps.faults.takeBurst(route);
    if (burst) {
      // Retry-After as it comes: given when the fault names it; otherwise none on 5xx ("503/504
      // without it", issue 13) and the throttle's mode on 429 (sometimes missing, sometimes 1).
      const retryAfter =
        burst.retryAfter !== undefined
          ? String(burst.retryAfter)
          : burst.status === 429
            ? deps.throttle.retryAfterHeader(1)
            : undefined;
      throw new GraphHttpError(
        burst.status,
        BURST_CODES[burst.status] ?? 'ServiceUnavailable',
        'Injected fault.',
        retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
      );
    }
    const m = match.params['m'];
    mailbox = m === undefined ? undefined : (deps.env().store.find(m)?.id ?? m.toLowerCase());
    response = await runThrottled(deps, caller, mailbox, () =>
      match.route.handler({ req, params: match.params, caller, env: deps.env() }),
    );
  } catch (error) {
    response = errorResponse(deps, req, error);
  }
  const headers: Record<string, string> = {
    'request-id': req.requestId,
    'client-request-id': req.clientRequestId,
    ...response.headers,
  };
  if (
    response.status < 400 &&
    wantsImmutableIds(req.headers) &&
    (mailbox !== undefined || route === 'POST /subscriptions')
  ) {
    const applied = headers['Preference-Applied'];
    if (!applied?.includes(IMMUTABLE_PREFERENCE)) {
      headers['Preference-Applied'] = applied ? `${applied}, ${IMMUTABLE_PREFERENCE}` : IMMUTABLE_PREFERENCE;
    }
  }
  if (response.json !== undefined) headers['Content-Type'] = JSON_TYPE;
  deps.log.record({
    at: deps.now().toISOString(),
    method: req.method,
    path: req.path,
    route,
    status: response.status,
    ...(mailbox ? { mailbox } : {}),
    batched: outerCaller !== null,
  });
  return { ...response, headers };
}

function authenticate(deps: PipelineDeps, req: EmuRequest): Caller {
  const header = req.headers['authorization'] ?? '';
  const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const result = deps.issuer.verify(token, deps.now());
  if ('reason' in result) throw new GraphHttpError(401, 'InvalidAuthenticationToken', result.reason);
  return result;
}

async function runThrottled(
  deps: PipelineDeps,
  caller: Caller,
  mailbox: string | undefined,
  handler: () => EmuResponse | Promise<EmuResponse>,
): Promise<EmuResponse> {
  if (mailbox === undefined) return await handler();
  const admission = deps.throttle.acquire(caller.appId, mailbox, deps.now().getTime());
  if (!admission.ok) {
    const retryAfter = deps.throttle.retryAfterHeader(admission.retryAfterSeconds);
    throw new GraphHttpError(
      429,
      'ApplicationThrottled',
      `Application is over its ${admission.reason} limit.`,
      retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
    );
  }
  try {
    if (deps.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.faults.latencyMs));
    return await handler();
  } finally {
    admission.release();
  }
}

function errorResponse(deps: PipelineDeps, req: EmuRequest, error: unknown): EmuResponse {
  const known = error instanceof GraphHttpError;
  if (!known) deps.print(`graph emulator: unexpected error on ${req.method} ${req.path}: ${String(error)}`);
  const status = known ? error.status : 500;
  const code = known ? error.code : 'InternalServerError';
  const message = known ? error.message : 'An internal server error occurred.';
  return {
    status,
    headers: known ? error.headers : {},
    json: graphErrorBody(code, message, req.requestId, req.clientRequestId, deps.now()),
  };
}

function lastSegment(path: string): string {
  return decodeURIComponent(path.split('/').filter(Boolean).at(-1) ?? '');
}
