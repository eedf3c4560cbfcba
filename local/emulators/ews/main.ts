import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEwsEmulator } from './index.js';

/** `npm run emulator:ews`: the emulator with one demo mailbox, printing what a client needs as KEY=value lines. */
const port = Number(process.env['EWS_EMULATOR_PORT'] ?? 7444);
const emulator = await startEwsEmulator({
  port,
  tlsDir: resolve('.local/tls'),
  auth: process.env['EWS_EMULATOR_AUTH'] === 'basic' ? 'basic' : 'ntlm',
  // A certificate from a CA nobody trusts (the bad-certificate case; EWS_CA_CERT_PEM is that CA).
  certificate: process.env['EWS_EMULATOR_CERT'] === 'untrusted' ? 'untrusted' : 'local',
  // The Autodiscover http redirect probe on this port (MS-OXDISCO 3.1.5.4), when set.
  ...(process.env['EWS_EMULATOR_REDIRECT_PORT']
    ? { redirectProbe: { port: Number(process.env['EWS_EMULATOR_REDIRECT_PORT']) } }
    : {}),
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
if (process.env['EWS_EMULATOR_CERT'] === 'untrusted')
  console.log(`EWS_CA_CERT_PEM=${JSON.stringify(emulator.caPem)}`);
if (emulator.redirectProbe) console.log(`EWS_REDIRECT_PROBE_URL=${emulator.redirectProbe.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.stop().then(() => process.exit(0));
  });
}
