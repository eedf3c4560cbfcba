import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Page } from 'playwright-core';
import { runDemo } from '../local/demo/run-demo.js';
import { startStack } from '../local/stack.js';
import { driveStack } from '../local/stack-driver.js';
import { ensureLocalCertificate } from '../local/tls.js';
import { registerAccount } from '../shared/service/register-account.js';

/**
 * `npm run screenshots`: every page of the web app, from the demo on a local stack of its own
 * (free ports, in-memory storage), written to docs/*.png for the README. The product clock
 * starts on 10.07.2025 so the demo agent's V2 account shows the orange banner.
 */
const OUT = join(process.cwd(), 'docs');
const tlsDir = join(process.cwd(), '.local', 'tls');

async function main() {
  const cert = await ensureLocalCertificate(tlsDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== cert.caPath) return relaunch(cert.caPath);
  const stack = await startStack({
    tlsDir,
    hostPort: 0,
    graphPort: 0,
    crmPort: 0,
    clockStart: '2025-07-10T08:00:00Z',
    log: (level, line) => {
      if (level === 'error') console.error(line);
    },
  });
  const browser = await chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: [...sparticuz.args.filter((a) => a !== '--single-process'), '--no-sandbox'],
    headless: true,
  });
  try {
    const demo = await runDemo(stack, (line) => console.log(line));
    const base = stack.host.url;
    const { agent, admin } = stack.users;
    const accounts = [];
    for await (const a of stack.runtime.deps.accounts.list()) accounts.push(a);
    const legacy = accounts.find((a) => a.syncVersion === 'v2');
    if (!legacy) throw new Error('the demo has no V2 account');
    const ben = await heldDeletesFor(stack);

    const context = await browser.newContext({
      locale: 'de-DE',
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 860 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await shot(page, '01-anmelden');
    await signIn(page, agent.mail, agent.password);
    await shot(page, '02-persoenliche-e-mail-synchronisierung');
    await page.goto(`${base}/konten/${legacy.id}/admin-freigabe`);
    await shot(page, '03-administratoren-genehmigung');
    await page.goto(`${base}/konten/${legacy.id}/anbieter`);
    await shot(page, '04-anbieter-auswahl');
    await page.goto(`${base}/konten/${legacy.id}/exchange-server`);
    await shot(page, '05-exchange-on-premises');
    const kept = await contactWithKeptBack(stack, demo.accountId);
    await page.goto(
      `${base}/konten/${demo.accountId}/kontakte?q=${encodeURIComponent(kept?.lastName ?? 'a')}`,
    );
    await shot(page, '06-kontakt-suchen');
    if (kept) {
      await page.goto(`${base}/konten/${demo.accountId}/kontakte/${kept.id}`);
      await shot(page, '07-warum-kam-das-nicht-in-outlook-an');
    }
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: `Zu V3 migrieren: ${legacy.email}` }).click();
    // The sign-in asks for the address's credentials ("Geben Sie Ihre E-Mail-Adresse und Ihr Passwort ein").
    await page.waitForURL((url) => url.origin !== base || url.pathname === '/');
    if (new URL(page.url()).origin !== base) {
      await shot(page, '08-anmeldung-zur-migration');
      await page.locator('input[type=email]').fill(agent.mail);
      await page.locator('input[type=password]').fill(agent.password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
    }
    await page.waitForURL(`${base}/`);
    await shot(page, '09-migriert');
    await context.close();

    const benContext = await browser.newContext({
      locale: 'de-DE',
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 860 },
    });
    const benPage = await benContext.newPage();
    await benPage.goto(`${base}/`);
    await signIn(benPage, ben.mail, ben.password);
    await benPage.goto(`${base}/konten/${ben.accountId}/loeschungen`);
    await shot(benPage, '10-zurueckgehaltene-loeschungen');
    await benContext.close();

    const adminContext = await browser.newContext({
      locale: 'de-DE',
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 860 },
    });
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${base}/`);
    await signIn(adminPage, admin.mail, admin.password);
    await adminPage.goto(`${base}/verwaltung`);
    await shot(adminPage, '11-benutzerverwaltung');
    await adminContext.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/** A CRM contact of the account with more e-mail addresses than Exchange holds. */
async function contactWithKeptBack(stack: Awaited<ReturnType<typeof startStack>>, accountId: string) {
  let pageToken: string | undefined;
  do {
    const page = await stack.runtime.deps.crm.list(pageToken ? { pageToken } : {});
    const found = page.items.find(
      (c) => c.syncAccounts.includes(accountId) && c.emails.length > 3 && c.lastName,
    );
    if (found) return found;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return undefined;
}

async function signIn(page: Page, login: string, password: string) {
  const origin = new URL(page.url()).origin;
  await page.getByRole('button', { name: 'Mit Microsoft anmelden' }).click();
  await page.locator('input[type=email]').fill(login);
  await page.locator('input[type=password]').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL((url) => url.origin === origin);
}

async function shot(page: Page, name: string) {
  await mkdir(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  console.log(`docs/${name}.png`);
}

/** A second agent whose small V3 account has a mass delete held for confirmation. */
async function heldDeletesFor(stack: Awaited<ReturnType<typeof startStack>>) {
  const mail = 'ben.berger@immobilien-demo.example';
  const password = 'Screenshot-1!';
  const user = stack.graph.admin.createMailbox({
    mail,
    displayName: 'Ben Berger',
    password,
    tenantId: stack.graph.tenantId,
  });
  const result = await registerAccount(stack.runtime.deps, {
    email: mail,
    userId: user.id,
    tenantId: stack.graph.tenantId,
    syncVersion: 'v3',
    provider: 'microsoft365',
  });
  if (!result.ok) throw new Error(result.message);
  const { outlook, settle } = driveStack(stack);
  const ids: string[] = [];
  for (let n = 0; n < 12; n++) {
    const created = await outlook.createContact(mail, {
      givenName: [
        'Lena',
        'Max',
        'Sofia',
        'Paul',
        'Mia',
        'Felix',
        'Emma',
        'Jonas',
        'Lea',
        'Noah',
        'Hanna',
        'Elias',
      ][n],
      surname: 'Kundin',
      emailAddresses: [{ address: `kunde${n}@beispiel.example` }],
    });
    ids.push(created.id);
  }
  await settle(60_000);
  const lease = await stack.runtime.deps.lease.acquire(`account:${result.account.id}`, 30_000);
  for (const id of ids.slice(0, 10)) await outlook.deleteContact(mail, id);
  await lease?.release();
  await settle(60_000);
  return { mail, password, accountId: result.account.id };
}

function relaunch(caPath: string) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
