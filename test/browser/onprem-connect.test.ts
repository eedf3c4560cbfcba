import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningEwsEmulator, startEwsEmulator } from '../../local/emulators/ews/index.js';
import type { Account } from '../../shared/accounts/account.js';
import { accountSecretName } from '../../shared/adapters/secrets/index.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn } from './support/browser.js';
import { ANNA, createPeople, PASSWORD, register } from './support/people.js';

/**
 * The on-premises form (`/konten/{id}/exchange-server`, issue 18 item 4): host, e-mail or user
 * name, password and the optional CA PEM. A wrong password and a bad certificate are each
 * named in the page's language and store nothing; the right entries connect the account.
 */
describe('web app: connecting an on-premises Exchange account', { timeout: 120_000 }, () => {
  const EXCHANGE_PASSWORD = `Ews-${randomBytes(9).toString('base64url')}`;
  const EMAIL = 'anna.makler@onprem-kunde.example';
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let account: Account;
  let ews: RunningEwsEmulator;
  let untrusted: RunningEwsEmulator;

  beforeAll(async () => {
    stack = await startTestStack({ settings: { SECRETS_KEY: randomBytes(32).toString('hex') } });
    base = stack.host.url;
    const { tenantA } = createPeople(stack);
    account = await register(stack, { email: EMAIL, userId: 'u-anna', tenantId: tenantA, syncVersion: 'v2' });
    [ews, untrusted] = await Promise.all([
      startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 }),
      startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0, certificate: 'untrusted' }),
    ]);
    for (const e of [ews, untrusted])
      e.admin.createMailbox({ smtp: EMAIL, user: 'anna', domain: 'KUNDE', password: EXCHANGE_PASSWORD });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([ews?.stop(), untrusted?.stop()]);
    await stack?.stop();
  });

  const host = (e: RunningEwsEmulator) => new URL(e.url).host;

  async function form(locale = 'de-DE'): Promise<Page> {
    const context = await newContext(browser, locale);
    const page = await context.newPage();
    await signIn(page, base, ANNA, PASSWORD);
    await page.goto(`${base}/konten/${account.id}/exchange-server`);
    return page;
  }

  async function nothingStored(before: Awaited<ReturnType<TestStack['runtime']['deps']['accounts']['get']>>) {
    const after = await stack.runtime.deps.accounts.get(account.id);
    expect(after?.etag).toBe(before?.etag);
    expect(await stack.runtime.deps.secrets.get(accountSecretName(account.id))).toBeNull();
  }

  it('names a wrong password, keeps what was typed except the password, and stores nothing', async () => {
    const page = await form();
    await expectAccessible(page, 'on-premises form');
    await page.getByLabel('Exchange-Host').fill(host(ews));
    await page.getByLabel('E-Mail oder Username').fill('KUNDE\\anna');
    await page.getByLabel('Passwort').fill('falsch');
    const before = await stack.runtime.deps.accounts.get(account.id);
    await page.getByRole('button', { name: 'Verbinden' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Username oder das Passwort nicht angenommen');
    expect(await page.getByLabel('Exchange-Host').inputValue()).toBe(host(ews));
    expect(await page.getByLabel('E-Mail oder Username').inputValue()).toBe('KUNDE\\anna');
    expect(await page.getByLabel('Passwort').inputValue()).toBe('');
    expect(await page.content()).not.toContain('falsch');
    await expectAccessible(page, 'on-premises form with an error');
    await nothingStored(before);
    await page.context().close();
  });

  it('names a certificate it does not trust, in English for an English browser', async () => {
    const page = await form('en-US');
    await page.getByLabel('Exchange host').fill(host(untrusted));
    await page.getByLabel('E-mail or user name').fill('KUNDE\\anna');
    await page.getByLabel('Password').fill(EXCHANGE_PASSWORD);
    const before = await stack.runtime.deps.accounts.get(account.id);
    await page.getByRole('button', { name: 'Connect' }).click();
    expect(await page.getByRole('alert').textContent()).toContain(
      'certificate is not trusted; the password was not sent',
    );
    expect(await page.content()).not.toContain(EXCHANGE_PASSWORD);
    await nothingStored(before);
    expect(untrusted.admin.log).toEqual([]);
    await page.context().close();
  });

  it("connects with the server's CA certificate pasted in, and says the account was migrated", async () => {
    const page = await form();
    await page.getByLabel('Exchange-Host').fill(host(untrusted));
    await page.getByLabel('E-Mail oder Username').fill('KUNDE\\anna');
    await page.getByLabel('Passwort').fill(EXCHANGE_PASSWORD);
    await page
      .getByLabel('Zertifikat der eigenen Zertifizierungsstelle (PEM, optional)')
      .fill(untrusted.caPem);
    await page.getByRole('button', { name: 'Verbinden' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('status').filter({ hasText: 'migriert' }).textContent()).toContain(EMAIL);
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(stored?.value).toMatchObject({ provider: 'onPremises', syncVersion: 'v3' });
    expect(stored?.value.onPremises?.caPem).toBe(untrusted.caPem.trim());
    expect(await stack.runtime.deps.secrets.get(accountSecretName(account.id))).toBe(EXCHANGE_PASSWORD);
    expect(await page.content()).not.toContain(EXCHANGE_PASSWORD);
    await page.context().close();
  });
});
