import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin } from './admin-http.js';
import type { GraphApp } from './app.js';
import { adminConsent, authorize, type BrowserRequest, logout } from './authorize.js';
import type { EmuRequest, EmuResponse } from './context.js';
import { graphErrorBody } from './errors.js';
import { mailAdminRoute } from './mail/index.js';
import { issueToken, openIdConfiguration } from './oidc.js';
import type { GraphEmulatorAdmin } from './types.js';

/**
 * The HTTP edge: reads the body (4 MB cap, as Graph), routes to the Entra endpoints, the
 * admin API or the Graph pipeline, and writes the response. Malformed JSON gets Graph's error
 * shape here, before any route runs.
 */
const MAX_BODY = 4 * 1024 * 1024;
const OPENID = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const KEYS = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;
const AUTHORIZE = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/;
const LOGOUT = /^\/([^/]+)\/oauth2\/v2\.0\/logout$/;
const ADMIN_CONSENT = /^\/([^/]+)(?:\/v2\.0)?\/adminconsent$/;

export function createRequestHandler(app: () => GraphApp, admin: () => GraphEmulatorAdmin) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handle(app(), admin(), req, res).catch((error: unknown) => {
      app().print(`graph emulator: ${String(error)}`);
      if (!res.headersSent)
        write(res, { status: 500, json: { error: { code: 'InternalServerError', message: 'Unexpected.' } } });
    });
  };
}

async function handle(app: GraphApp, admin: GraphEmulatorAdmin, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', app.settings.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  if (raw === null)
    return write(res, {
      status: 413,
      json: { error: { code: 'RequestEntityTooLarge', message: 'Request body too large.' } },
    });
  const path = url.pathname;

  if (path.startsWith('/_emulator/')) {
    const body = parseJson(raw);
    if (body === INVALID) return write(res, { status: 400, json: { error: 'invalid JSON' } });
    const mail = mailAdminRoute(app.store, app.now, method, path, body);
    if (mail) return write(res, mail);
    return write(res, await handleAdmin(admin, method, path, body));
  }
  const openid = path.match(OPENID);
  if (openid?.[1] && method === 'GET') return write(res, openIdConfiguration(app.oidc, openid[1]));
  const token = path.match(TOKEN);
  if (token?.[1] && method === 'POST')
    return write(res, issueToken(app.oidc, token[1], new URLSearchParams(raw)));
  const keys = path.match(KEYS);
  if (keys?.[1] && method === 'GET') return write(res, { status: 200, json: app.issuer.jwks(keys[1]) });
  const browser = browserEndpoint(path, method);
  if (browser) {
    const request: BrowserRequest = {
      method,
      tenant: browser.tenant,
      params: method === 'POST' ? new URLSearchParams(raw) : url.searchParams,
      cookie: String(req.headers.cookie ?? ''),
      path,
    };
    return write(res, browser.handler(app.oidc, request));
  }

  const graph: EmuRequest = {
    method,
    path: path.replace(/^\/(?:v1\.0|beta)(?=\/|$)/i, ''),
    version: /^\/beta(?=\/|$)/i.test(path) ? 'beta' : 'v1.0',
    query: url.searchParams,
    headers: Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    ),
    body: undefined,
    requestId: crypto.randomUUID(),
    clientRequestId: String(req.headers['client-request-id'] ?? crypto.randomUUID()),
  };
  if (!/^\/(?:v1\.0|beta)(\/|$)/i.test(path)) {
    return write(
      res,
      graphError(app, graph, 400, 'BadRequest', `Invalid version: ${path.split('/')[1] ?? ''}`),
    );
  }
  const body = parseJson(raw);
  if (body === INVALID) {
    const message =
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
    return write(res, graphError(app, graph, 400, 'BadRequest', message));
  }
  graph.body = body;
  write(res, await app.dispatch(graph, null));
}

function browserEndpoint(path: string, method: string) {
  if (method !== 'GET' && method !== 'POST') return null;
  for (const [pattern, handler] of [
    [AUTHORIZE, authorize],
    [ADMIN_CONSENT, adminConsent],
    [LOGOUT, logout],
  ] as const) {
    const tenant = path.match(pattern)?.[1];
    if (tenant) return { tenant: decodeURIComponent(tenant), handler };
  }
  return null;
}

function graphError(
  app: GraphApp,
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
): EmuResponse {
  return {
    status,
    headers: { 'request-id': req.requestId, 'client-request-id': req.clientRequestId },
    json: graphErrorBody(code, message, req.requestId, req.clientRequestId, app.now()),
  };
}

const INVALID = Symbol('invalid JSON');

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return INVALID;
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function write(res: ServerResponse, response: EmuResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  } else if (response.text !== undefined) {
    payload = response.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
