import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sparticuz from '@sparticuz/chromium';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Headless Chromium for the web app's tests, with nothing but `npm install`: @sparticuz/chromium
 * ships the binary in its package (unpacked to /tmp on first use), playwright-core drives it
 * (reference/toolchain.md, "Browser tests with nothing but npm install").
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await sparticuz.executablePath();
  // --single-process (meant for Lambda) takes the whole browser down when a context closes.
  const args = sparticuz.args.filter((arg) => arg !== '--single-process');
  return chromium.launch({ executablePath, args: [...args, '--no-sandbox'], headless: true });
}

/**
 * A fresh browser profile (no cookies). The emulator's authority is https with the local CA,
 * which Chromium does not know: certificate errors are ignored for it (and only matter there).
 */
export function newContext(browser: Browser, locale = 'de-DE'): Promise<BrowserContext> {
  return browser.newContext({ locale, ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
}

/** The emulator's sign-in page: login and password, "Anmelden". */
export async function signInAtAuthority(page: Page, login: string, password: string): Promise<void> {
  await page
    .getByLabel(/E-Mail|Konto|login/i)
    .first()
    .fill(login);
  await page.locator('input[type=password]').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

/** From the app's start page through the Microsoft sign-in, back on the app. */
export async function signIn(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: /Mit Microsoft anmelden|Sign in with Microsoft/ }).click();
  await signInAtAuthority(page, login, password);
  await page.waitForURL((url) => url.origin === baseUrl);
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the current page (evaluated through the DevTools protocol, so the page's CSP,
 * which forbids inline scripts, stays on). Fails on any serious or critical finding.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `axe-core on ${what}`).toEqual([]);
}
