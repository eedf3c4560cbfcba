import { createServer, type IncomingMessage, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBearer } from './auth.js';
import type { Faults } from './faults.js';
import { errorReply, HttpError, type Reply, type Request, readBody, sendReply } from './http.js';
import type { RequestLog } from './request-log.js';
import { matchRoute, type Route } from './router.js';

/**
 * The HTTP shell: reads the body (at most 1 MiB), checks the bearer token and injected faults
 * for API routes, dispatches to a route, turns every failure into a JSON error reply and logs
 * the request. Nothing a client sends can crash it.
 */

export interface ServerParts {
  token: string;
  apiRoutes: Route[];
  adminRoutes: Route[];
  faults: Faults;
  requestLog: RequestLog;
  clock: () => Date;
  log: (line: string) => void;
}

const ADMIN_PREFIX = '/_emulator/';

export function createCrmServer(parts: ServerParts): Server {
  return createServer((req, res) => {
    res.on('error', () => {}); // a client that hung up is not our failure
    void handle(parts, req).then(({ reply, route, path }) => {
      sendReply(res, reply);
      parts.requestLog.add({
        at: parts.clock().toISOString(),
        method: req.method ?? 'GET',
        path,
        route,
        status: reply.status,
        admin: path.startsWith(ADMIN_PREFIX),
      });
    });
  });
}

async function handle(
  parts: ServerParts,
  req: IncomingMessage,
): Promise<{ reply: Reply; route: string; path: string }> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  const admin = url.pathname.startsWith(ADMIN_PREFIX);
  const match = matchRoute(admin ? parts.adminRoutes : parts.apiRoutes, method, url.pathname);
  const route =
    match.kind === 'notFound' ? 'unknown' : match.kind === 'found' ? match.route.template : match.template;
  try {
    const rawBody = await readBody(req);
    if (rawBody === null) throw new HttpError(413, 'payload_too_large', 'The body exceeds 1 MiB');
    if (!admin) {
      checkBearer(req.headers.authorization, parts.token);
      await applyRequestFault(parts.faults);
    }
    if (match.kind === 'notFound')
      throw new HttpError(404, 'route_not_found', `No route ${method} ${url.pathname}`);
    if (match.kind === 'methodNotAllowed') {
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${match.template}`, {
        allow: match.allowed.join(', '),
      });
    }
    const request: Request = {
      method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      header: (name) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      rawBody,
    };
    return { reply: await match.route.handler(request), route, path: url.pathname };
  } catch (error) {
    if (error instanceof HttpError) return { reply: errorReply(error), route, path: url.pathname };
    parts.log(
      `internal error on ${method} ${route}: ${error instanceof Error ? error.stack : String(error)}`,
    );
    return {
      reply: errorReply(new HttpError(500, 'internal_error', 'The emulator failed; see its log')),
      route,
      path: url.pathname,
    };
  }
}

async function applyRequestFault(faults: Faults): Promise<void> {
  const fault = faults.takeRequestFault();
  if (fault?.kind === 'slow') await sleep(fault.ms);
  if (fault?.kind === 'status') {
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    throw new HttpError(fault.status, 'injected_fault', `Injected ${fault.status}`, headers);
  }
}
