import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/accounts/account.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn, signInAtAuthority } from './support/browser.js';
import { ADMIN, ANNA, BEN, CARL, createPeople, PASSWORD, register } from './support/people.js';

/**
 * After the deadline (the product clock starts on 20.07.2025): red banners, the administrator's
 * view of the tenant, tenant isolation, the migration through the administrator's approval and
 * through the provider choice, English pages.
 */
describe('web app: after the deadline', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let anna: Account;
  let ben: Account;
  let carl: Account;
  let annaIonos: Account;

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-07-20T08:00:00Z' });
    base = stack.host.url;
    const { tenantA, tenantB } = createPeople(stack);
    anna = await register(stack, { email: ANNA, userId: 'u-anna', tenantId: tenantA, syncVersion: 'v2' });
    ben = await register(stack, { email: BEN, userId: 'u-ben', tenantId: tenantA, syncVersion: 'v2' });
    carl = await register(stack, { email: CARL, userId: 'u-carl', tenantId: tenantB, syncVersion: 'v2' });
    annaIonos = await register(stack, {
      email: 'anna.makler@ionos-kunde.example',
      userId: 'u-anna',
      tenantId: tenantA,
      syncVersion: 'v2',
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signedIn(login: string, locale = 'de-DE'): Promise<Page> {
    const context = await newContext(browser, locale);
    const page = await context.newPage();
    await signIn(page, base, login, PASSWORD);
    return page;
  }

  it('shows an agent the red banner of each of their own V2 accounts, and nothing of anyone else', async () => {
    const page = await signedIn(ANNA);
    const alert = page.getByRole('alert').filter({ hasText: ANNA });
    expect(await alert.getAttribute('class')).toContain('banner-red');
    expect(await alert.textContent()).toContain('ist am 18.07.2025 abgelaufen');
    expect(await page.locator('[data-state]').count()).toBe(2);
    expect(await page.content()).not.toContain(BEN);
    expect(await page.content()).not.toContain(CARL);
    await expectAccessible(page, 'Persönliche E-Mail-Synchronisierung (overdue)');
    for (const path of [
      `/konten/${ben.id}/kontakte`,
      `/konten/${carl.id}/loeschungen`,
      `/konten/${carl.id}/kontakte.csv`,
    ]) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), path).toBe(404);
    }
    expect((await page.goto(`${base}/verwaltung`))?.status()).toBe(404);
    await page.context().close();
  });

  it("shows the administrator every account of the tenant, with filters, and no other tenant's", async () => {
    const stored = await stack.runtime.deps.accounts.get(ben.id);
    if (!stored) throw new Error('ben is gone');
    await stack.runtime.deps.accounts.put(
      {
        ...stored.value,
        status: { ...stored.value.status, lastError: 'Graph 404 MailboxNotEnabledForRESTAPI' },
      },
      stored.etag,
    );
    // A message for Ben's account and one for Carl's (the other tenant) that no worker can read.
    for (const accountId of [ben.id, carl.id])
      await stack.transport
        .client('exchange-to-crm')
        .sendMessage(JSON.stringify({ v: 1, kind: 'exchangeChanged', accountId }));
    await stack.settle();
    const page = await signedIn(ADMIN);
    await page.getByRole('link', { name: 'Benutzerverwaltung › E-Mail-Synchronisierung' }).click();
    const dead = (await page.locator('section[aria-labelledby=dead]').textContent()) ?? '';
    expect(dead).toContain(BEN);
    expect(dead).not.toContain(CARL);
    expect(dead.toLowerCase()).toContain('sessionkey');
    const rows = page.locator('tr[data-state]');
    expect(await rows.count()).toBe(3);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(ANNA);
    expect(text).toContain(BEN);
    expect(text).not.toContain(CARL);
    expect(text).toContain('Das Postfach ist gerade nicht erreichbar');
    await expectAccessible(page, 'Benutzerverwaltung');
    await page.getByLabel('Mit Fehlern').check();
    await page.waitForURL(/filter=errors/);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(BEN);
    await page.goto(`${base}/verwaltung?filter=stopped`);
    expect(await rows.count()).toBe(0);
    await page.goto(`${base}/verwaltung?filter=overdue`);
    expect(await rows.count()).toBe(3);
    await page.context().close();
  });

  it("shows another tenant's agent only their own account", async () => {
    const page = await signedIn(CARL);
    expect(await page.locator('[data-state]').count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain(CARL);
    expect(await page.content()).not.toContain(ANNA);
    expect((await page.goto(`${base}/konten/${anna.id}/kontakte`))?.status()).toBe(404);
    await page.context().close();
  });

  it("migrates through the administrator's approval when consent is missing", async () => {
    const page = await signedIn(ANNA);
    await stack.graph.admin.fault({ kind: 'revokeConsent' });
    await page.getByRole('button', { name: `Zu V3 migrieren: ${ANNA}` }).click();
    await page.waitForURL(`${base}/konten/${anna.id}/admin-freigabe`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Es wird eine Administratoren-Genehmigung abgefragt');
    expect(main).toContain('Wenn Sie über ein Administratorkonto verfügen, melden Sie sich mit diesem an');
    expect(main).toContain('FLOWFACT (Nylas) ist die alte Schnittstelle');
    await expectAccessible(page, 'admin consent');
    // The administrator cancels first: the page says the approval is still missing.
    await page.getByRole('button', { name: 'Als Administrator anmelden und freigeben' }).click();
    await page.getByRole('button', { name: 'Abbrechen' }).click();
    await page.waitForURL((url) => url.origin === base);
    expect(
      await page.getByRole('alert').filter({ hasText: 'Die Freigabe wurde nicht erteilt' }).count(),
    ).toBe(1);
    expect((await stack.runtime.deps.accounts.get(anna.id))?.value.syncVersion).toBe('v2');
    await page.getByRole('button', { name: 'Als Administrator anmelden und freigeben' }).click();
    await signInAtAuthority(page, ADMIN, PASSWORD);
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('status').filter({ hasText: 'migriert' }).textContent()).toContain(ANNA);
    expect(await page.getByRole('alert').filter({ hasText: ANNA }).count()).toBe(0);
    expect((await stack.runtime.deps.accounts.get(anna.id))?.value.syncVersion).toBe('v3');
    await page.context().close();
  });

  it('asks for the provider when the sign-in cannot tell, and stores nothing for an unreachable on-premises host', async () => {
    const page = await signedIn(ANNA);
    await page.getByRole('button', { name: `Zu V3 migrieren: ${annaIonos.email}` }).click();
    await signInAtAuthority(page, ANNA, PASSWORD);
    await page.waitForURL(`${base}/konten/${annaIonos.id}/anbieter`);
    await expectAccessible(page, 'provider choice');
    await page.getByLabel('Microsoft Exchange (eigener Server, On-Premises)').check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.waitForURL(`${base}/konten/${annaIonos.id}/exchange-server`);
    expect(await page.locator('main').textContent()).toContain(
      'ausschließlich Ihr Anbieter oder IT-Ansprechpartner',
    );
    await expectAccessible(page, 'on-premises form');
    await page.getByLabel('Exchange-Host').fill('mail.ionos-kunde.example');
    await page.getByLabel('Passwort').fill('geheim-onprem');
    const before = await stack.runtime.deps.accounts.get(annaIonos.id);
    await page.getByRole('button', { name: 'Verbinden' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('nicht erreichbar');
    const after = await stack.runtime.deps.accounts.get(annaIonos.id);
    expect(after?.etag).toBe(before?.etag);
    expect(JSON.stringify(after?.value)).not.toContain('geheim-onprem');

    await page.goto(`${base}/konten/${annaIonos.id}/anbieter`);
    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await signInAtAuthority(page, ANNA, PASSWORD);
    await page.waitForURL(`${base}/`);
    expect((await stack.runtime.deps.accounts.get(annaIonos.id))?.value.syncVersion).toBe('v3');
    await page.context().close();
  });

  it('shows the administrator the audit log of the migrations', async () => {
    const page = await signedIn(ADMIN);
    await page.goto(`${base}/verwaltung`);
    const audit = page.getByRole('table', { name: 'Protokoll' });
    const text = (await audit.textContent()) ?? '';
    expect(text).toContain(`agent:${ANNA}`);
    expect(text).toContain('migrate');
    expect(text).toContain('adminConsentRequired');
    expect(text).not.toContain(CARL);
    await page.context().close();
  });

  it('speaks English to a browser that asks for it', async () => {
    const page = await signedIn(BEN, 'en-US');
    expect(await page.title()).toContain('Personal e-mail sync');
    expect(await page.getByRole('alert').filter({ hasText: BEN }).textContent()).toContain(
      'The deadline to migrate',
    );
    expect(await page.getByRole('button', { name: `Migrate to V3: ${BEN}` }).count()).toBe(1);
    await expectAccessible(page, 'personal page in English');
    await page.context().close();
  });
});
