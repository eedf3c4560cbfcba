import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/accounts/account.js';
import type { LeaseHandle } from '../../shared/ports.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { expectAccessible, launchBrowser, newContext, signIn } from './support/browser.js';
import { ANNA, BEN, createPeople, PASSWORD, register } from './support/people.js';

/**
 * "Konto entfernen" (issue 18 item 5): from the account card, a page that says what happens
 * (the sync stops; contacts and e-mails stay in Outlook and the CRM), the confirmation, the
 * progress while the account is being removed, and the account gone afterwards. Another agent's
 * account is a 404. axe-core on every page state.
 */
describe('web app: removing an account', { timeout: 120_000 }, () => {
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

  /** Holds the account's lease, as a worker busy with it would: its removal task waits meanwhile. */
  async function holdLease(accountId: string): Promise<LeaseHandle> {
    for (;;) {
      const lease = await stack.runtime.deps.lease.acquire(`account:${accountId}`, 60_000);
      if (lease) return lease;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("says what happens, shows the removal's progress, and the account is gone afterwards", async () => {
    const page = await signedIn(ANNA);
    await page.getByRole('link', { name: `Konto entfernen: ${ANNA}` }).click();
    await page.waitForURL(`${base}/konten/${anna.id}/entfernen`);
    expect(await page.title()).toContain(`Konto entfernen: ${ANNA}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Die Synchronisierung dieses Postfachs mit dem CRM stoppt');
    expect(text).toContain('Ihre Kontakte und E-Mails bleiben in Outlook und im CRM erhalten');
    await expectAccessible(page, 'the remove-account confirmation');
    // Nothing happens before the confirmation.
    expect((await stack.runtime.deps.accounts.get(anna.id))?.value.removal ?? null).toBeNull();

    const lease = await holdLease(anna.id);
    let released = false;
    try {
      await page.getByRole('button', { name: 'Konto endgültig entfernen' }).click();
      await page.waitForURL(`${base}/`);
      expect(await page.getByRole('status').first().textContent()).toContain(
        `Das Konto ${ANNA} wird entfernt`,
      );
      const card = page.locator(`#konto-${anna.id}`);
      expect(await card.textContent()).toContain('Wird entfernt');
      await expectAccessible(page, 'the personal page with an account being removed');
      const api = await stack.api('GET', `/api/accounts/${anna.id}`);
      expect(api.json).toMatchObject({ removal: { state: 'removing', step: 'subscriptions' } });

      await card.getByRole('link', { name: /^Schritt 1 von 6: .*anna@contoso\.example$/ }).click();
      await page.waitForURL(`${base}/konten/${anna.id}/entfernen`);
      expect(await page.getByRole('status').textContent()).toContain('Schritt 1 von 6');
      await expectAccessible(page, 'the removal progress page');

      await lease.release();
      released = true;
      await stack.settle();
    } finally {
      if (!released) await lease.release();
    }

    expect(await stack.runtime.deps.accounts.get(anna.id)).toBeNull();
    expect((await page.goto(`${base}/konten/${anna.id}/entfernen`))?.status()).toBe(404);
    await page.goto(`${base}/`);
    expect(await page.locator(`#konto-${anna.id}`).count()).toBe(0);
    await expectAccessible(page, 'the personal page after the removal');

    const audit = await stack.api('GET', '/api/audit?limit=20');
    expect((audit.json as { items: unknown[] }).items).toContainEqual(
      expect.objectContaining({
        action: 'remove',
        accountId: anna.id,
        outcome: 'requested',
        actorKind: 'agent',
      }),
    );
    await page.context().close();
  });

  it("is a 404 for another agent's account, and speaks English to an English browser", async () => {
    const page = await signedIn(BEN, 'en-US');
    await page.goto(`${base}/konten/${ben.id}/entfernen`);
    expect(await page.title()).toContain(`Remove account: ${BEN}`);
    expect(await page.locator('main').textContent()).toContain(
      'Nothing is deleted, neither in Outlook nor in the CRM',
    );
    await expectAccessible(page, 'the remove-account confirmation in English');
    await page.context().close();
    const other = await signedIn(ANNA);
    expect((await other.goto(`${base}/konten/${ben.id}/entfernen`))?.status()).toBe(404);
    await other.context().close();
  });
});
