import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn } from './support/browser.js';
import { ANNA, createPeople, PASSWORD, register } from './support/people.js';

/**
 * The agent's pages before the migration deadline (the product clock starts on 01.07.2025):
 * the orange banner, "Zu V3 migrieren" with consent present, and the pages around an account.
 */
describe('web app: an agent before the deadline', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let annaAccountId = '';

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-07-01T08:00:00Z' });
    base = stack.host.url;
    createPeople(stack);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the orange banner naming the V2 account, and migrates it through the button', async () => {
    const account = await register(stack, {
      email: ANNA,
      userId: 'u-anna',
      tenantId: stack.graph.tenantId,
      syncVersion: 'v2',
    });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await expectAccessible(page, 'the sign-in page');
    await signIn(page, base, ANNA, PASSWORD);
    await expect.poll(() => page.title()).toContain('Persönliche E-Mail-Synchronisierung');
    const banner = page.getByRole('status').filter({ hasText: ANNA });
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.getAttribute('class')).toContain('banner-orange');
    expect(await banner.textContent()).toContain('bis zum 18.07.2025');
    const row = page.locator(`#konto-${account.id}`);
    expect(await row.textContent()).toContain('V2');
    expect(await row.textContent()).toContain('Migration erforderlich');
    await expectAccessible(page, 'Persönliche E-Mail-Synchronisierung (V2, orange)');

    await banner.getByRole('link', { name: ANNA }).click();
    await page.getByRole('button', { name: `Zu V3 migrieren: ${ANNA}` }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('status').filter({ hasText: 'migriert' }).textContent()).toContain(ANNA);
    expect(await page.locator('.banner').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Zu V3 migrieren/ }).count()).toBe(0);
    expect(await row.textContent()).toContain('V3');
    await expectAccessible(page, 'Persönliche E-Mail-Synchronisierung (migrated)');
    expect((await page.goto(`${base}/konten/not-an-account/kontakte`))?.status()).toBe(404);
    await expectAccessible(page, 'the not-found page');
    await page.goto(`${base}/`);
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(stored?.value.syncVersion).toBe('v3');
    await context.close();
    annaAccountId = account.id;
  });

  it("explains on a contact's page why a value did not reach Outlook", async () => {
    await stack.crmUser.create({
      firstName: 'Klara',
      lastName: 'Zurück',
      emails: [1, 2, 3, 4].map((n) => ({ address: `klara${n}@kunden.example`, type: null })),
      phones: [{ number: '+49 30 1234567', type: 'fax' }],
      notes: 'Schlüssel liegt beim Hausmeister',
      syncAccounts: [annaAccountId],
    });
    await stack.settle();
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, ANNA, PASSWORD);
    await page.getByRole('link', { name: 'Warum kam das nicht in Outlook an?' }).click();
    await expectAccessible(page, 'contact search');
    await page.getByLabel('Kontakt suchen (Name oder E-Mail)').fill('klara');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('link', { name: 'Klara Zurück' }).click();
    await expect.poll(() => page.title()).toContain('Kontakt: Klara Zurück');
    const compare = page.getByRole('table', { name: 'Beide Seiten im Vergleich' });
    expect(await compare.textContent()).toContain('klara3@kunden.example');
    const kept = await page.locator('section[aria-labelledby=kept-back]').textContent();
    expect(kept).toContain('klara4@kunden.example');
    expect(kept).toContain('Exchange hat dafür keinen freien Platz');
    expect(kept).toContain('Das Notizfeld wird bei der Synchronisation nicht berücksichtigt');
    const log = page.getByRole('table', { name: 'Verlauf' });
    const times = await log
      .locator('time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(times.length).toBeGreaterThan(0);
    expect([...times].sort()).toEqual(times);
    expect(await log.textContent()).toContain('In Outlook angelegt');
    await expectAccessible(page, 'contact why page');

    const download = page.waitForEvent('download');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Kontakte als CSV herunterladen' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(file, 'utf8')).toContain('klara4@kunden.example');
    await context.close();
  });

  it('holds a mass delete: "Verwerfen" writes the contacts back to Outlook, "Löschen bestätigen" carries it out', async () => {
    const outlookIds: string[] = [];
    for (let n = 0; n < 12; n++) {
      const created = await stack.outlook.createContact(ANNA, {
        givenName: `Kunde${n}`,
        surname: 'Massenlöschung',
        emailAddresses: [{ address: `kunde${n}@massen.example` }],
      });
      outlookIds.push(created.id);
    }
    await stack.settle();
    // Ten deletes seen by one delta round: the account's lease keeps the worker out meanwhile.
    const deleteInOutlook = async () => {
      const lease = await stack.runtime.deps.lease.acquire(`account:${annaAccountId}`, 30_000);
      try {
        for (const id of outlookIds.slice(0, 10)) await stack.outlook.deleteContact(ANNA, id);
      } finally {
        await lease?.release();
      }
      await stack.settle();
    };
    await deleteInOutlook();
    const held = async () =>
      (await stack.runtime.deps.accounts.get(annaAccountId))?.value.status.heldDeletes ?? 0;
    expect(await held()).toBe(10);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, ANNA, PASSWORD);
    await page.getByRole('link', { name: '10 Löschungen warten auf Ihre Bestätigung' }).click();
    expect(await page.locator('.held-list li').count()).toBe(10);
    await expectAccessible(page, 'held deletes');
    await page.getByRole('button', { name: 'Verwerfen' }).click();
    await page.waitForURL(`${base}/`);
    await stack.settle();
    expect(await held()).toBe(0);
    const crm = await stack.runtime.deps.crm.list();
    const mass = crm.items.filter((c) => c.lastName === 'Massenlöschung');
    expect(mass).toHaveLength(12); // no CRM contact was touched
    for (const contact of mass) {
      const link = await stack.runtime.deps.mirror.getByCrmId(annaAccountId, contact.id);
      expect(link, `${contact.firstName} linked again`).not.toBeNull();
      expect(await stack.runtime.deps.exchange.get(ANNA, link?.value.exchangeId ?? '')).not.toBeNull();
    }

    // The contacts are in Outlook again (new ids): delete them there once more and confirm this time.
    outlookIds.length = 0;
    for (const contact of mass) {
      const link = await stack.runtime.deps.mirror.getByCrmId(annaAccountId, contact.id);
      if (link) outlookIds.push(link.value.exchangeId);
    }
    await deleteInOutlook();
    expect(await held()).toBe(10);
    await page.goto(`${base}/konten/${annaAccountId}/loeschungen`);
    await page.getByRole('button', { name: 'Löschen bestätigen' }).click();
    await page.waitForURL(`${base}/`);
    await stack.settle();
    expect(await held()).toBe(0);
    let linked = 0;
    for (const contact of mass)
      if (await stack.runtime.deps.mirror.getByCrmId(annaAccountId, contact.id)) linked++;
    expect(linked).toBe(2);
    await context.close();
  });
});
