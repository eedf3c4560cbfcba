import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Starts Azurite (tables + queues, a child process each) on free ports and returns its
 * connection string. `--disableTelemetry` keeps it from calling home (toolchain.md).
 */
export interface RunningAzurite {
  connectionString: string;
  tableUrl: string;
  queueUrl: string;
  stop(): Promise<void>;
}

const ACCOUNT = 'devstoreaccount1';
// Azurite's documented, public development key: not a secret.
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(tableUrl: string, queueUrl: string): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `QueueEndpoint=${queueUrl}/${ACCOUNT};TableEndpoint=${tableUrl}/${ACCOUNT};`
  );
}

export async function startAzurite(
  options: { location?: string; tablePort?: number; queuePort?: number } = {},
): Promise<RunningAzurite> {
  // Tables and queues run as two processes: each Azurite service is single-threaded, and the
  // queue service's minute-by-minute clean-up of deleted messages would otherwise stall every
  // table call with it. Queues keep their messages on disk (a temporary folder unless a
  // location is given): in memory Azurite keeps one record per message and its clean-up
  // becomes quadratic, freezing the service for tens of seconds after a few thousand messages.
  const queueDir = options.location ?? (await mkdtemp(join(tmpdir(), 'azurite-queue-')));
  const started: ChildProcess[] = [];
  try {
    const table = await startService('table', started, [
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      // The table service reports the port it was given, not the one it got: pick a free one.
      String(options.tablePort ?? (await freePort())),
      ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
    ]);
    const queue = await startService('queue', started, [
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      String(options.queuePort ?? 0),
      '--location',
      queueDir,
    ]);
    return {
      connectionString: azuriteConnectionString(table, queue),
      tableUrl: table,
      queueUrl: queue,
      async stop() {
        await Promise.all(started.map(stopChild));
        if (!options.location) await rm(queueDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map(stopChild));
    if (!options.location) await rm(queueDir, { recursive: true, force: true });
    throw error;
  }
}

/** A port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts one Azurite service (`table` or `queue`) and resolves with its URL once it listens. */
async function startService(
  service: 'table' | 'queue',
  started: ChildProcess[],
  args: string[],
): Promise<string> {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('azurite/package.json')), `dist/src/${service}/main.js`);
  const child = spawn(
    process.execPath,
    [main, '--disableTelemetry', '--silent', '--skipApiVersionCheck', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`Azurite ${service} did not start within 20 s:\n${out}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // "successfully listens on http://…" (queue) / "successfully started on 127.0.0.1:port" (table)
      const m =
        /Azurite (?:Table|Queue) service successfully (?:listens|started) on (?:http:\/\/)?([\d.]+:\d+)/.exec(
          out,
        );
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite ${service} exited with code ${code} before it was ready:\n${out}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return url;
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
