import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { child, NS, parseXml, type XmlElement } from '../../../shared/adapters/ews/xml.js';
import { ensureLocalCertificate } from '../../tls.js';
import { EwsAdmin } from './admin.js';
import { handleAdmin } from './admin-http.js';
import { Authenticator } from './auth.js';
import {
  type AutodiscoverRedirects,
  autodiscover,
  type RedirectProbe,
  startRedirectProbe,
} from './autodiscover.js';
import { findFolder, getFolder, syncFolderHierarchy } from './folder-ops.js';
import {
  createItem,
  deleteItem,
  findItem,
  getItem,
  type OpContext,
  syncFolderItems,
  updateItem,
} from './item-ops.js';
import { EwsMailAdmin } from './mail/mail-admin.js';
import { handleMailAdmin } from './mail/mail-admin-http.js';
import { mailDeleteItem, mailGetItem, mailSyncFolderItems, moveItem, resolveNames } from './mail/mail-ops.js';
import {
  type EwsHttpResponse,
  envelope,
  failure,
  fault,
  MessageError,
  SchemaError,
  schemaFault,
  serverBusy,
} from './soap-response.js';
import { EwsStore } from './store.js';
import { type CertificateMode, servedCertificate } from './tls-modes.js';
import { getUserConfiguration } from './user-config.js';

export type { ContactInput, CreateMailboxInput, Fault, LoggedRequest } from './admin.js';
export { EwsAdmin } from './admin.js';
export type { IncomingMail, OutgoingMail } from './mail/mail-admin.js';
export { EwsMailAdmin } from './mail/mail-admin.js';

/**
 * An Exchange server's EWS endpoint over HTTPS with the local CA: `POST /EWS/Exchange.asmx`
 * (SOAP 1.1), POX Autodiscover at `/autodiscover/autodiscover.xml`, the admin API under
 * `/_emulator/`. Every request is authenticated (NTLM by default, Basic when configured).
 */
export interface EwsEmulatorOptions {
  tlsDir: string;
  port?: number;
  auth?: 'ntlm' | 'basic';
  /** `untrusted`: a certificate from a CA nobody trusts (tls-modes.ts); default `local`. */
  certificate?: CertificateMode;
  /** Extra host names the certificate covers (e.g. `autodiscover.contoso.example`). */
  hostnames?: string[];
  /**
   * Also serve the Autodiscover HTTP redirect probe on a plain http port (autodiscover.ts
   * `startRedirectProbe`): 302 to this URL, default this emulator's https Autodiscover URL.
   */
  redirectProbe?: { location?: string; port?: number };
  /** POX answers `redirectAddr` / `redirectUrl` for these (lower-case) addresses. */
  autodiscoverRedirects?: AutodiscoverRedirects;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningEwsEmulator {
  url: string;
  ewsUrl: string;
  caPath: string;
  /** The CA a client must trust (the local CA, or the unknown CA of `certificate: 'untrusted'`). */
  caPem: string;
  /** The redirect probe's http origin, when `redirectProbe` was asked for. */
  redirectProbe?: RedirectProbe;
  admin: EwsAdmin;
  /** Mail: delivery, sendMail, what an Outlook user does to messages (mail/mail-admin.ts). */
  mail: EwsMailAdmin;
  stop(): Promise<void>;
}

type Operation = (ctx: OpContext, op: XmlElement) => EwsHttpResponse;
const OPERATIONS: Record<string, Operation> = {
  SyncFolderHierarchy: (ctx, op) => syncFolderHierarchy(ctx.store, ctx.mailbox, op),
  FindFolder: (ctx, op) => findFolder(ctx.store, ctx.mailbox, op),
  GetFolder: (ctx, op) => getFolder(ctx.store, ctx.mailbox, op),
  // Mail folders and messages are answered by mail/mail-ops.ts, everything else by item-ops.ts.
  SyncFolderItems: (ctx, op) => mailSyncFolderItems(ctx, op) ?? syncFolderItems(ctx, op),
  GetItem: (ctx, op) => mailGetItem(ctx, op) ?? getItem(ctx, op),
  ResolveNames: resolveNames,
  FindItem: findItem,
  CreateItem: createItem,
  UpdateItem: updateItem,
  DeleteItem: (ctx, op) => mailDeleteItem(ctx, op) ?? deleteItem(ctx, op),
  MoveItem: moveItem,
  GetUserConfiguration: (ctx, op) => getUserConfiguration(ctx.mailbox, op),
};
const MAX_BODY = 4 * 1024 * 1024;

export async function startEwsEmulator(options: EwsEmulatorOptions): Promise<RunningEwsEmulator> {
  const local = await ensureLocalCertificate(options.tlsDir);
  const served = await servedCertificate(local, options.certificate ?? 'local', options.hostnames ?? []);
  const store = new EwsStore();
  const now = options.now ?? (() => new Date());
  const admin = new EwsAdmin(store, now);
  const mail = new EwsMailAdmin(store, now);
  admin.authMode = options.auth ?? 'ntlm';
  const auth = new Authenticator(store, () => admin.authMode);
  let origin = '';
  const server = createServer(
    { cert: served.certPem, key: served.keyPem, keepAliveTimeout: 30_000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        options.log?.(`ews emulator: ${String(error)}`);
        if (!res.headersSent)
          write(
            res,
            fault('ErrorInternalServerError', 'An internal server error occurred. The operation failed.'),
          );
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/_emulator/')) {
      adminRoute(req, res, url.pathname, raw);
      return;
    }
    const isEws = url.pathname.toLowerCase() === '/ews/exchange.asmx';
    const isAutodiscover = url.pathname.toLowerCase() === '/autodiscover/autodiscover.xml';
    if (!isEws && !isAutodiscover) return write(res, { status: 404, body: '' });
    if (req.method !== 'POST') return write(res, { status: 405, body: '' });
    const who = auth.authenticate(req, now());
    if (!who.ok) {
      logRequest(url.pathname, null, 401, [], null);
      res.writeHead(401, { ...who.headers, 'Content-Length': '0' });
      res.end();
      return;
    }
    if (isAutodiscover)
      return write(res, autodiscover(store, origin, raw ?? '', options.autodiscoverRedirects));
    admin.inFlight += 1;
    admin.maxInFlight = Math.max(admin.maxInFlight, admin.inFlight);
    const { response, operation } = await soap(raw ?? '', {
      store,
      mailbox: who.mailbox,
      now: now(),
    }).finally(() => {
      admin.inFlight -= 1;
    });
    if (response === null) {
      req.socket.destroy(); // a timeout: the connection is cut without an answer
      return;
    }
    logRequest(url.pathname, operation, response.status, codesOf(response.body), who.mailbox.smtp);
    write(res, response);
  }

  async function soap(
    raw: string,
    ctx: OpContext,
  ): Promise<{ response: EwsHttpResponse | null; operation: string | null }> {
    let root: XmlElement;
    try {
      root = parseXml(raw);
    } catch (error) {
      return { response: schemaFault(String((error as Error).message)), operation: null };
    }
    const body = root.name === 'Envelope' && root.ns === NS.soap ? child(root, 'Body', NS.soap) : undefined;
    const op = body?.children[0];
    if (!op)
      return {
        response: fault(
          'ErrorSchemaValidation',
          'The request failed schema validation: the SOAP envelope is missing or has no body.',
        ),
        operation: null,
      };
    // Only Exchange's own namespaces: the operation in messages, everything below in types or messages.
    const handler = op.ns === NS.messages ? OPERATIONS[op.name] : undefined;
    if (!handler)
      return {
        response: schemaFault(
          `The element '${op.name}' in namespace '${op.ns}' is not a known EWS operation.`,
        ),
        operation: op.name,
      };
    if (admin.latencyMs > 0) await new Promise((r) => setTimeout(r, admin.latencyMs));
    const injected = admin.takeFault(op.name);
    if (injected?.kind === 'serverBusy')
      return { response: serverBusy(injected.backOffMs), operation: op.name };
    if (injected?.kind === 'timeout') {
      await new Promise((r) => setTimeout(r, injected.delayMs));
      return { response: null, operation: op.name };
    }
    if (injected?.kind === 'invalidSyncState') ctx.mailbox.syncStates.clear();
    try {
      return { response: handler(ctx, op), operation: op.name };
    } catch (error) {
      if (error instanceof SchemaError) return { response: schemaFault(error.message), operation: op.name };
      if (error instanceof MessageError)
        return {
          response: envelope(op.name, [failure(op.name, error.code, error.message)]),
          operation: op.name,
        };
      throw error;
    }
  }

  function logRequest(
    path: string,
    operation: string | null,
    status: number,
    codes: string[],
    user: string | null,
  ) {
    admin.log.push({ at: now().toISOString(), path, operation, status, codes, user });
  }

  function adminRoute(req: IncomingMessage, res: ServerResponse, path: string, raw: string | null): void {
    let input: Record<string, unknown>;
    try {
      input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      json(res, 400, { error: { code: 'invalidJson', message: 'Body is not JSON.' } });
      return;
    }
    const answer =
      handleMailAdmin(mail, req.method ?? 'GET', path, input) ??
      handleAdmin(admin, req.method ?? 'GET', path, input);
    json(res, answer.status, answer.json);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectProbe = options.redirectProbe
    ? await startRedirectProbe({
        location: () => options.redirectProbe?.location ?? `${origin}/autodiscover/autodiscover.xml`,
        ...(options.redirectProbe.port === undefined ? {} : { port: options.redirectProbe.port }),
      })
    : undefined;
  return {
    url: origin,
    ewsUrl: `${origin}/EWS/Exchange.asmx`,
    caPath: local.caPath,
    caPem: served.caPem,
    ...(redirectProbe ? { redirectProbe } : {}),
    admin,
    mail,
    async stop() {
      await redirectProbe?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function codesOf(body: string): string[] {
  return [...body.matchAll(/<(?:m:ResponseCode|e:ResponseCode)[^>]*>([^<]+)</g)].map((m) => m[1] ?? '');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function write(res: ServerResponse, response: EwsHttpResponse): void {
  res.writeHead(response.status, { 'Content-Type': 'text/xml; charset=utf-8', ...response.headers });
  res.end(response.body);
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
