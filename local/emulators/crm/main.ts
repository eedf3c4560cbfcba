import { randomBytes } from 'node:crypto';
import { startCrmEmulator } from './index.js';

/**
 * `npm run emulator:crm`: runs the CRM emulator until SIGINT/SIGTERM and prints the settings
 * the function app needs as KEY=value lines. Env: CRM_EMULATOR_PORT (default 7080),
 * CRM_TOKEN (random by default), CRM_WEBHOOK_URL and CRM_WEBHOOK_SECRET (generated when only
 * the URL is given).
 */

const port = Number(process.env.CRM_EMULATOR_PORT ?? 7080);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(
    `CRM_EMULATOR_PORT must be a port number, got ${JSON.stringify(process.env.CRM_EMULATOR_PORT)}`,
  );
  process.exit(1);
}

const emulator = await startCrmEmulator({
  port,
  token: process.env.CRM_TOKEN || undefined,
  log: (line) => console.error(`[crm-emulator] ${line}`),
});
console.log(`CRM_BASE_URL=${emulator.url}`);
console.log(`CRM_TOKEN=${emulator.token}`);

const webhookUrl = process.env.CRM_WEBHOOK_URL;
if (webhookUrl) {
  const secret = process.env.CRM_WEBHOOK_SECRET || randomBytes(24).toString('base64url');
  emulator.admin.addWebhook({ url: webhookUrl, secret });
  console.log(`CRM_WEBHOOK_SECRET=${secret}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emulator.stop().then(() => process.exit(0));
  });
}
