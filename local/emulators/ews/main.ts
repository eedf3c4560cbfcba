import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEwsEmulator } from './index.js';

/** `npm run emulator:ews`: the emulator with one demo mailbox, printing what a client needs as KEY=value lines. */
const port = Number(process.env['EWS_EMULATOR_PORT'] ?? 7444);
const emulator = await startEwsEmulator({
  port,
  tlsDir: resolve('.local/tls'),
  auth: process.env['EWS_EMULATOR_AUTH'] === 'basic' ? 'basic' : 'ntlm',
  log: (line) => console.error(line),
});
const mailbox = emulator.admin.createMailbox({
  smtp: 'agent@contoso.example',
  user: 'agent',
  domain: 'CONTOSO',
  password: process.env['EWS_EMULATOR_PASSWORD'] ?? randomBytes(12).toString('base64url'),
});
console.log(`EWS_URL=${emulator.ewsUrl}`);
console.log(`EWS_USERNAME=${mailbox.domain}\\${mailbox.user}`);
console.log(`EWS_PASSWORD=${mailbox.password}`);
console.log(`EWS_EMAIL=${mailbox.smtp}`);
console.log(`EWS_CA_CERT=${emulator.caPath}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.stop().then(() => process.exit(0));
  });
}
