import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/accounts/account.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn } from './support/browser.js';
import { ADMIN, ANNA, BEN, createPeople, PASSWORD, register } from './support/people.js';

/**
 * The mail settings pages (issue 17 items 1 and 2): an agent sees their account's effective
 * settings and changes them (a refused entry is named and nothing is stored); another
 * agent's account is a 404; the tenant administrator edits the tenant's blocklist, which the
 * account page then shows. axe-core on every page state.
 */
describe('web app: mail settings', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let anna: Account;
  let ben: Account;

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.host.url;
    const { tenantA } = createPeople(stack);
    anna = await register(stack, {
      email: ANNA,
      userId: 'u-anna',
      tenantId: tenantA,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });
    ben = await register(stack, { email: BEN, userId: 'u-ben', tenantId: tenantA, syncVersion: 'v2' });
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
  const storedSettings = async () => (await stack.runtime.deps.accounts.get(anna.id))?.value.mail?.settings;

  it('shows the defaults from the account card, saves a change, and names a refused entry', async () => {
    const page = await signedIn(ANNA);
    const card = page.locator(`#konto-${anna.id}`);
    expect(await card.textContent()).toContain(
      'Posteingang und Gesendete Elemente · 90 Tage · Betreff und Text',
    );
    await page.getByRole('link', { name: `E-Mail-Einstellungen: ${ANNA}` }).click();
    await page.waitForURL(`${base}/konten/${anna.id}/e-mail-einstellungen`);
    await expectAccessible(page, 'the mail settings page');
    expect(await page.getByLabel('Posteingang und Gesendete Elemente').isChecked()).toBe(true);
    expect(await page.getByLabel('Zeitraum der ersten Übernahme (Tage)').inputValue()).toBe('90');
    expect(await page.getByLabel('Massen-E-Mails (Newsletter, automatische Antworten)').isChecked()).toBe(
      true,
    );
    expect(await page.getByLabel('E-Mails mit dieser Outlook-Kategorie (leer: keine)').inputValue()).toBe(
      'Privat',
    );
    expect(await page.getByLabel('Betreff und Text').isChecked()).toBe(true);

    // A refused entry: named in an alert, what was typed kept, nothing stored.
    const before = await stack.runtime.deps.accounts.get(anna.id);
    await page.getByLabel('Gesperrte Adressen und @Domains (eine pro Zeile)').fill('kein eintrag');
    await page.getByRole('button', { name: 'Speichern' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Gesperrte Adressen');
    expect(await page.getByLabel('Gesperrte Adressen und @Domains (eine pro Zeile)').inputValue()).toBe(
      'kein eintrag',
    );
    await expectAccessible(page, 'the mail settings page with an error');
    expect((await stack.runtime.deps.accounts.get(anna.id))?.etag).toBe(before?.etag);

    await page.getByLabel('Alle E-Mail-Ordner').check();
    await page.getByLabel('Zeitraum der ersten Übernahme (Tage)').fill('30');
    await page.getByLabel('Massen-E-Mails (Newsletter, automatische Antworten)').uncheck();
    await page.getByLabel('E-Mails mit dieser Outlook-Kategorie (leer: keine)').fill('');
    await page
      .getByLabel('Gesperrte Adressen und @Domains (eine pro Zeile)')
      .fill('@Konkurrenz.example\nspam@kunde.example\n');
    await page.getByLabel('Nur der Betreff').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.waitForURL(`${base}/konten/${anna.id}/e-mail-einstellungen`);
    expect(await page.getByRole('status').textContent()).toContain('gespeichert');
    await expectAccessible(page, 'the mail settings page after saving');
    expect(await storedSettings()).toMatchObject({
      folders: 'all',
      windowDays: 30,
      excludeBulk: false,
      excludeInternal: true,
      privateCategory: null,
      blocklist: ['@konkurrenz.example', 'spam@kunde.example'],
      visibility: 'subject',
    });
    // The page shows what is stored now.
    expect(await page.getByLabel('Alle E-Mail-Ordner').isChecked()).toBe(true);
    expect(await page.getByLabel('Zeitraum der ersten Übernahme (Tage)').inputValue()).toBe('30');
    // The API shows the same.
    const api = await stack.api('GET', `/api/accounts/${anna.id}/mail-settings`);
    expect(api.json).toMatchObject({ folders: 'all', windowDays: 30, visibility: 'subject' });

    const audit = await stack.api('GET', '/api/audit?limit=20');
    expect((audit.json as { items: unknown[] }).items).toContainEqual(
      expect.objectContaining({
        action: 'mailSettings',
        accountId: anna.id,
        outcome: 'ok',
        actorKind: 'agent',
      }),
    );

    // The account card says what is in force now.
    await page.goto(`${base}/`);
    expect(await card.textContent()).toContain('Alle E-Mail-Ordner · 30 Tage · Nur der Betreff');
    await expectAccessible(page, 'the personal page with the mail settings on the card');

    // Another agent's account does not exist for Anna.
    expect((await page.goto(`${base}/konten/${ben.id}/e-mail-einstellungen`))?.status()).toBe(404);
    await page.context().close();
  });

  it('speaks English to an English browser', async () => {
    const page = await signedIn(ANNA, 'en-US');
    await page.goto(`${base}/konten/${anna.id}/e-mail-einstellungen`);
    expect(await page.title()).toContain(`E-mail settings: ${ANNA}`);
    expect(await page.getByLabel('All mail folders').isChecked()).toBe(true);
    await page.getByLabel('Blocked addresses and @domains (one per line)').fill('@');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Blocked addresses and @domains');
    await expectAccessible(page, 'the mail settings page in English with an error');
    expect((await storedSettings())?.windowDays).toBe(30);
    await page.context().close();
  });

  it("lets the tenant administrator edit the tenant's blocklist, shown on each account's page; an agent cannot", async () => {
    const agent = await signedIn(BEN);
    expect((await agent.goto(`${base}/verwaltung/e-mail-einstellungen`))?.status()).toBe(404);
    await agent.context().close();

    const page = await signedIn(ADMIN);
    await page.goto(`${base}/verwaltung`);
    await page.getByRole('link', { name: 'E-Mail-Sperrliste des Unternehmens' }).click();
    await page.waitForURL(`${base}/verwaltung/e-mail-einstellungen`);
    await expectAccessible(page, 'the tenant mail settings page');
    await page.getByLabel('Gesperrte Adressen und @Domains (eine pro Zeile)').fill('@mitbewerber.example');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.waitForURL(`${base}/verwaltung/e-mail-einstellungen`);
    expect(await page.getByRole('status').textContent()).toContain('gespeichert');
    expect((await stack.runtime.deps.tenantSettings?.get(stack.graph.tenantId))?.value.blocklist).toEqual([
      '@mitbewerber.example',
    ]);

    // The administrator may open any account of the tenant; the tenant's entries are listed there.
    await page.goto(`${base}/konten/${anna.id}/e-mail-einstellungen`);
    expect(await page.locator('main').textContent()).toContain('@mitbewerber.example');
    await expectAccessible(page, 'the mail settings page with the tenant blocklist');
    await page.context().close();
  });
});
