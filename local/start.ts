import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toError } from '../shared/errors.js';
import { runDemo, summaryLines } from './demo/run-demo.js';
import { defaultDataDir, startStack } from './stack.js';
import { ensureLocalCertificate } from './tls.js';

/**
 * `npm start`: the whole product on this machine (DESIGN section 5): Azurite, the Graph, CRM
 * and EWS (on-premises Exchange, with a demo mailbox) emulators, the local Functions host and
 * a demo. `npm run host` runs only the host, against whatever services the environment names
 * (see README, "Against real services").
 * Node reads NODE_EXTRA_CA_CERTS only at start, so the process re-runs itself once with the
 * Graph emulator's CA trusted; the production code path (https, real token flow) is unchanged.
 */
const args = new Set(process.argv.slice(2));
const root = join(process.cwd(), '.local');
const { tlsDir, azuriteLocation } = defaultDataDir(root);

/** SECRETS_KEY from the environment, else .local/secrets.key (generated once, owner-only). */
async function secretsKey(): Promise<string> {
  if (process.env.SECRETS_KEY) return process.env.SECRETS_KEY;
  const path = join(root, 'secrets.key');
  const existing = await readFile(path, 'utf8').catch(() => '');
  if (/^[0-9a-f]{64}$/.test(existing.trim())) return existing.trim();
  const key = randomBytes(32).toString('hex');
  await mkdir(root, { recursive: true });
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main() {
  if (args.has('--help')) {
    console.log('usage: npm start [-- --no-demo]\n  --no-demo   start the local stack empty');
    return;
  }
  const cert = await ensureLocalCertificate(tlsDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== cert.caPath) return relaunch(cert.caPath);

  // The emulators keep their data in memory, so the stored mirror is cleared to match them.
  await rm(azuriteLocation, { recursive: true, force: true });
  const log = (level: 'info' | 'warn' | 'error', line: string) =>
    level === 'error' ? console.error(line) : console.log(line);
  const hostPort = Number(process.env.FUNCTIONS_PORT ?? 7071);
  const stack = await startStack({
    tlsDir,
    azuriteLocation,
    hostPort,
    hostHttpsPort: Number(process.env.FUNCTIONS_HTTPS_PORT ?? 7072),
    graphPort: Number(process.env.GRAPH_EMULATOR_PORT ?? 7443),
    crmPort: Number(process.env.CRM_EMULATOR_PORT ?? 7080),
    // The on-premises Exchange server (EWS) with the demo mailbox EWS_USERNAME / EWS_PASSWORD.
    ewsPort: Number(process.env.EWS_EMULATOR_PORT ?? 7444),
    ...(process.env.SYNC_CLOCK_START ? { clockStart: process.env.SYNC_CLOCK_START } : {}),
    // On-premises passwords are encrypted at rest under this key (shared/adapters/secrets/).
    settings: { SECRETS_KEY: await secretsKey() },
    log,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (running messages finish; unfinished ones stay queued)...`);
    await stack.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log('\nThe local stack is running:');
  for (const [key, value] of Object.entries(stack.env)) console.log(`${key}=${value}`);
  if (!args.has('--no-demo')) {
    const demo = await runDemo(stack, (line) => console.log(line));
    for (const line of summaryLines(demo.tally, demo.mail)) console.log(line);
    console.log(`DEMO_ACCOUNT_ID=${demo.accountId}`);
    console.log(
      `\nThe web app: open ${stack.host.url}/ and sign in as DEMO_AGENT_LOGIN with DEMO_AGENT_PASSWORD`,
    );
    console.log(
      '  (the administrator: DEMO_ADMIN_LOGIN / DEMO_ADMIN_PASSWORD); the sign-in page is the Graph',
    );
    console.log("  emulator's, on https with the local CA: accept the browser's certificate warning once.");
    console.log(`\nTry it: edit a contact in either emulator and watch it arrive on the other side:`);
    console.log(`The API needs a token (DEMO_AGENT_TOKEN above; a new one: see README "Sign-in"):`);
    console.log(
      `  curl -H "Authorization: Bearer $DEMO_AGENT_TOKEN" ${stack.host.url}/api/accounts/${demo.accountId}`,
    );
    console.log(
      `  curl -H "Authorization: Bearer $DEMO_AGENT_TOKEN" ${stack.host.url}/api/accounts/${demo.accountId}/contacts.csv`,
    );
  }
  console.log('\nSyncing live. Ctrl-C stops.');
}

function relaunch(caPath: string) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${toError(error).message}`);
  process.exit(1);
});
