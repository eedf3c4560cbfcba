import { FUNCTION_DEFINITIONS } from '../functions/definitions.js';
import { buildRuntime, installRuntime } from '../functions/runtime.js';
import { StorageQueueTransport } from '../shared/adapters/queue/storage-queue-transport.js';
import { loadConfig } from '../shared/config.js';
import { toError } from '../shared/errors.js';
import { startHost } from './host/host.js';

/**
 * `npm run host`: only the local Functions host, against the services the environment names
 * (real Graph, a real storage account, the real CRM) — no emulators, no demo. A missing or
 * malformed setting stops it with a message naming the setting. Service Bus queues are
 * consumed by the Azure Functions host in production; this host consumes storage queues.
 */
async function main() {
  const config = loadConfig(process.env);
  if (config.queueTransport !== 'storage') {
    throw new Error(
      'QUEUE_TRANSPORT=servicebus: this local host consumes storage queues only; deploy to Azure Functions (DEPLOY.md) for Service Bus',
    );
  }
  const runtime = await buildRuntime(config);
  installRuntime(runtime);
  const transport = await StorageQueueTransport.create({ connectionString: config.storageConnection });
  const schedules: Record<string, string> = {
    RECONCILE_SCHEDULE: config.schedules.reconcile,
    SUBSCRIPTION_RENEWAL_SCHEDULE: config.schedules.subscriptionRenewal,
    MIGRATION_CUTOFF_SCHEDULE: config.schedules.migrationCutoff,
    EWS_POLL_SCHEDULE: config.schedules.ewsPoll,
  };
  const host = await startHost({
    definitions: FUNCTION_DEFINITIONS,
    transport,
    schedule: (name) => schedules[name] ?? '0 0 0 1 1 *',
    port: Number(process.env.FUNCTIONS_PORT ?? 7071),
    log: (level, line) =>
      level === 'error' ? console.error(runtime.redact(line)) : console.log(runtime.redact(line)),
  });
  console.log(`FUNCTIONS_BASE_URL=${host.url}`);
  // POST /admin/functions/{name} needs it in x-functions-key, as the Functions host does.
  console.log(`FUNCTIONS_MASTER_KEY=${host.masterKey}`);
  const stop = async () => {
    await host.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`npm run host failed: ${toError(error).message}`);
  process.exit(1);
});
