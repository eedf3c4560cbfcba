import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import azf, { type InvocationContext, type Timer } from '@azure/functions';
import { Cron } from 'croner';
import type { FunctionDefinition } from '../../functions/definitions.js';
import { MAX_BODY_BYTES } from '../../functions/http.js';
import type { ConsumerOptions } from '../../shared/adapters/queue/storage-queue-consumer.js';
import type { StorageQueueTransport } from '../../shared/adapters/queue/storage-queue-transport.js';
import { toError } from '../../shared/errors.js';
import { toFunctionRequest, writeFunctionResponse } from './http-adapter.js';
import { matchRoute } from './routes.js';

const { InvocationContext: Context } = azf;

/**
 * The local Functions host: runs the same FUNCTION_DEFINITIONS the Azure host runs.
 * HTTP functions under /api on node:http; timers on their NCRONTAB schedules (with seconds,
 * like the Functions host) plus `POST /admin/functions/{name}` to run one now; queue
 * functions on storage queues with visibility timeout and `<queue>-poison` after 5 tries.
 */
export interface HostOptions {
  definitions: readonly FunctionDefinition[];
  transport: StorageQueueTransport;
  /** NCRONTAB schedule of each timer, by its setting name. */
  schedule: (settingName: string) => string;
  host?: string;
  port?: number;
  /**
   * The master key `POST /admin/functions/{name}` requires in `x-functions-key`, as the
   * Functions host does (learn.microsoft.com/azure/azure-functions/functions-manually-run-non-http);
   * a random one when absent (see RunningHost.masterKey).
   */
  masterKey?: string;
  /**
   * A second listener on https with this certificate (the local CA), serving the same routes:
   * Graph refuses http notification URLs, so PUBLIC_BASE_URL points here. Port 0 = a free port.
   */
  https?: { certPem: string; keyPem: string; port?: number };
  log: (level: 'info' | 'warn' | 'error', line: string) => void;
  queue?: {
    visibilityTimeoutMs?: number;
    pollIntervalMs?: number;
    retryBackoffMs?: number;
    concurrency?: number;
  };
}

export interface RunningHost {
  /** The http listener (curl, the CRM webhook, the admin routes). */
  url: string;
  /** The https listener, when `https` was given: what PUBLIC_BASE_URL names. */
  httpsUrl: string | null;
  masterKey: string;
  runTimer(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { definitions, log } = options;
  const masterKey = options.masterKey ?? randomBytes(32).toString('base64url');
  const context = (functionName: string): InvocationContext =>
    new Context({
      invocationId: randomUUID(),
      functionName,
      logHandler: (level, ...args) =>
        log(
          level === 'error' || level === 'critical' ? 'error' : level === 'warning' ? 'warn' : 'info',
          `[${functionName}] ${args.map(String).join(' ')}`,
        ),
    });

  const timers = definitions.filter(
    (d): d is Extract<FunctionDefinition, { trigger: 'timer' }> => d.trigger === 'timer',
  );
  const runTimer = async (name: string, isPastDue = false) => {
    const definition = timers.find((t) => t.name === name);
    if (!definition) throw new Error(`no timer function named ${name}`);
    const timer: Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: new Date().toISOString() },
    };
    await definition.handler(timer, context(name));
  };

  const handle = async (baseUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    // Only origin-form targets ("/api/…"): "//x" or "http://…" must not be read as another host.
    const url = target.startsWith('/') && !target.startsWith('//') ? URL.parse(`${baseUrl}${target}`) : null;
    if (!url) {
      return writeFunctionResponse(res, {
        status: 400,
        jsonBody: { error: { code: 'BadRequestTarget', message: 'the request target must be a path' } },
      });
    }
    const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (admin && req.method === 'POST') {
      if (!hasKey(req.headers['x-functions-key'], masterKey)) {
        return writeFunctionResponse(res, {
          status: 401,
          jsonBody: {
            error: {
              code: 'Unauthorized',
              message: 'the admin routes need the master key in x-functions-key',
            },
          },
        });
      }
      const name = decodeURIComponent(admin[1]!);
      if (!timers.some((t) => t.name === name))
        return writeFunctionResponse(res, notFound(`no timer function named ${name}`));
      await runTimer(name);
      return writeFunctionResponse(res, { status: 202 });
    }
    const match = matchRoute(definitions, req.method ?? 'GET', url.pathname);
    if (match === null) return writeFunctionResponse(res, notFound(`no route ${url.pathname}`));
    if (match === 'methodNotAllowed') {
      return writeFunctionResponse(res, {
        status: 405,
        jsonBody: {
          error: { code: 'MethodNotAllowed', message: `${req.method} is not allowed on ${url.pathname}` },
        },
      });
    }
    const converted = await toFunctionRequest(req, match.params, url.toString(), MAX_BODY_BYTES);
    if (converted.tooLarge) {
      return writeFunctionResponse(res, {
        status: 413,
        jsonBody: {
          error: { code: 'BodyTooLarge', message: `the body must be at most ${MAX_BODY_BYTES} bytes` },
        },
      });
    }
    const response = await match.definition.handler(converted.request, context(match.definition.name));
    await writeFunctionResponse(res, response);
  };
  const listener =
    (base: () => string) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      void handle(base(), req, res).catch((error: unknown) => {
        log('error', `host: ${req.method} ${req.url} failed: ${toError(error).message}`);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              error: { code: 'InternalError', message: 'the function failed; see the host log' },
            }),
          );
        } else res.destroy();
      });
    };
  const bindHost = options.host ?? '127.0.0.1';
  let baseUrl = '';
  const server: Server = createServer(listener(() => baseUrl));
  baseUrl = `http://${bindHost}:${await listen(server, options.port ?? 7071, bindHost)}`;
  const servers: Server[] = [server];
  let httpsUrl: string | null = null;
  if (options.https) {
    const secure = createHttpsServer(
      { cert: options.https.certPem, key: options.https.keyPem },
      listener(() => httpsUrl ?? ''),
    );
    servers.push(secure);
    httpsUrl = `https://${bindHost}:${await listen(secure, options.https.port ?? 0, bindHost)}`;
  }

  const crons = timers.map(
    (t) =>
      new Cron(options.schedule(t.scheduleSetting), { protect: true }, () => {
        runTimer(t.name).catch((error: unknown) =>
          log('error', `[${t.name}] failed: ${toError(error).message}`),
        );
      }),
  );

  const consumers = definitions
    .filter((d): d is Extract<FunctionDefinition, { trigger: 'queue' }> => d.trigger === 'queue')
    .map((d) =>
      options.transport.startConsumer({
        queue: d.queue,
        handler: (message) => d.handler(message, context(d.name)),
        ...batchOptions(d, context(d.name)),
        visibilityTimeoutMs: options.queue?.visibilityTimeoutMs ?? 60_000,
        pollIntervalMs: options.queue?.pollIntervalMs ?? 100,
        retryBackoffMs: options.queue?.retryBackoffMs ?? 1_000,
        concurrency: options.queue?.concurrency ?? 8,
        maxDequeueCount: 5,
        onPoison: (record) =>
          log(
            'error',
            `[${d.name}] message moved to ${d.queue}-poison: ${JSON.stringify(record).slice(0, 500)}`,
          ),
        log: (level, line) => log(level, `[${d.name}] ${line}`),
      }),
    );

  return {
    url: baseUrl,
    httpsUrl,
    masterKey,
    runTimer: (name) => runTimer(name),
    async stop() {
      for (const cron of crons) cron.stop();
      await Promise.all(
        servers.map(async (s) => {
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeAllConnections();
          await closed;
        }),
      );
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}

/** A queue function with a batch handler gets up to 32 waiting messages of a session at once. */
function batchOptions(
  definition: Extract<FunctionDefinition, { trigger: 'queue' }>,
  context: InvocationContext,
): Pick<ConsumerOptions, 'handleBatch' | 'maxBatch'> {
  const batch = definition.handleBatch;
  return batch ? { handleBatch: (messages) => batch(messages, context), maxBatch: 32 } : {};
}

/** Listens and answers the bound port (port 0 = a free one). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the host did not get a TCP address');
  return address.port;
}

function notFound(message: string) {
  return { status: 404, jsonBody: { error: { code: 'NotFound', message } } };
}

/** Constant-time comparison of the key given with the master key (hashes make the lengths equal). */
function hasKey(given: string | string[] | undefined, masterKey: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(masterKey));
}
