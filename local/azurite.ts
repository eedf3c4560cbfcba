import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Starts Azurite (tables + queues) as a child process on free ports and returns its
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
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('azurite/package.json')), 'dist/src/azurite.js');
  const args = [
    bin,
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(options.tablePort ?? 0),
  ];
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const urls = await new Promise<{ table: string; queue: string }>((resolve, reject) => {
    let out = '';
    const found: { table?: string; queue?: string } = {};
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 20 s:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(
        /Azurite (Table|Queue) service is successfully listening at (http:\/\/[\d.:]+)/g,
      )) {
        found[m[1] === 'Table' ? 'table' : 'queue'] = m[2];
      }
      if (found.table && found.queue) {
        clearTimeout(timer);
        resolve({ table: found.table, queue: found.queue });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before it was ready:\n${out}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    connectionString: azuriteConnectionString(urls.table, urls.queue),
    tableUrl: urls.table,
    queueUrl: urls.queue,
    stop: () => stopChild(child),
  };
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
