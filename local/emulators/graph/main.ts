import { resolve } from 'node:path';
import { startGraphEmulator } from './index.js';

/** `npm run emulator:graph`: the emulator on its own, printing what a client needs as KEY=value lines. */
const port = Number(process.env['GRAPH_EMULATOR_PORT'] ?? 7443);
const emulator = await startGraphEmulator({
  port,
  tlsDir: resolve('.local/tls'),
  log: (line) => console.error(line),
});
console.log(`GRAPH_BASE_URL=${emulator.url}`);
console.log(`GRAPH_AUTHORITY_HOST=${emulator.authorityHost}`);
console.log(`GRAPH_TENANT_ID=${emulator.tenantId}`);
console.log(`GRAPH_CLIENT_ID=${emulator.clientId}`);
console.log(`GRAPH_CLIENT_SECRET=${emulator.clientSecret}`);
console.log(`GRAPH_CA_CERT=${emulator.caPath}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.stop().then(() => process.exit(0));
  });
}
