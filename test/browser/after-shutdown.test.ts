import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn } from './support/browser.js';
import { ANNA, createPeople, PASSWORD, register } from './support/people.js';

/** After the V2 shutdown (the product clock starts on 05.08.2025): "Synchronisierung gestoppt". */
describe('web app: after the shutdown', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-08-05T08:00:00Z' });
    createPeople(stack);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the stopped banner until the account is migrated', async () => {
    const account = await register(stack, {
      email: ANNA,
      userId: 'u-anna',
      tenantId: stack.graph.tenantId,
      syncVersion: 'v2',
    });
    const page = await (await newContext(browser)).newPage();
    await signIn(page, stack.host.url, ANNA, PASSWORD);
    const alert = page.getByRole('alert').filter({ hasText: ANNA });
    expect(await alert.getAttribute('class')).toContain('banner-red');
    expect(await alert.textContent()).toContain('Synchronisierung gestoppt');
    expect(await alert.textContent()).toContain('wird nicht mehr synchronisiert');
    expect(await page.locator(`#konto-${account.id}`).textContent()).toContain('Synchronisierung gestoppt');
    await expectAccessible(page, 'Persönliche E-Mail-Synchronisierung (stopped)');
    await page.getByRole('button', { name: `Zu V3 migrieren: ${ANNA}` }).click();
    await page.waitForURL(`${stack.host.url}/`);
    expect(await page.locator('.banner').count()).toBe(0);
    expect(await page.locator(`#konto-${account.id}`).textContent()).toContain('Synchronisierung aktiv');
    await page.context().close();
  });
});
