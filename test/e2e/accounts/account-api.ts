import { expect } from 'vitest';
import { QUEUE_NAMES } from '../../../shared/ports.js';
import type { TestStack } from '../../support/stack.js';

/** The parts of GET /api/accounts/{id} these tests read. */
export interface AccountBody {
  id: string;
  email: string;
  syncVersion: 'v2' | 'v3';
  provider: string;
  migration: {
    state: string;
    deadline: string;
    shutdown: string;
    banner: {
      severity: string;
      text: { de: string; en: string };
      action: { label: string; href: string };
    } | null;
  };
  sync: { subscriptionExpiresAt: string | null };
}

export async function getAccount(stack: TestStack, id: string): Promise<AccountBody> {
  const response = await stack.api('GET', `/api/accounts/${encodeURIComponent(id)}`);
  expect(response.status, response.text).toBe(200);
  return response.json as AccountBody;
}

/** POST /api/accounts without waiting for the initial sync (the test decides when to settle). */
export async function register(stack: TestStack, body: Record<string, unknown>): Promise<AccountBody> {
  const response = await stack.api('POST', '/api/accounts', body);
  expect(response.status, response.text).toBe(201);
  return response.json as AccountBody;
}

/** The banner of a V2 account as seeds/001 words it: German dates, the "Zu V3 migrieren" button. */
export function expectV2Banner(account: AccountBody, severity: 'warning' | 'critical'): void {
  const banner = account.migration.banner;
  expect(banner).not.toBeNull();
  expect(banner?.severity).toBe(severity);
  expect(banner?.text.de).toContain('18.07.2025');
  expect(banner?.text.de).toContain('01.08.2025');
  expect(banner?.text.de).toContain(account.email);
  expect(banner?.action).toEqual({
    label: 'Zu V3 migrieren',
    href: `/api/accounts/${account.id}/migrate`,
  });
}

/** Waits (in real time) until the product's clock has reached the instant. */
export async function waitForProductTime(stack: TestStack, iso: string): Promise<void> {
  const target = Date.parse(iso);
  for (;;) {
    const left = target - stack.runtime.deps.clock.now().getTime();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 50)));
  }
}

export function productNow(stack: TestStack): string {
  return stack.runtime.deps.clock.now().toISOString();
}

/** Requests that changed data (not reads, not subscriptions) on the Graph emulator. */
export function graphContactWrites(stack: TestStack): string[] {
  return stack.graph.admin
    .requests()
    .entries.filter((e) => e.method !== 'GET' && e.route.includes('contact'))
    .map((e) => e.route);
}

/** Writes through the CRM's public API (not its admin API). */
export function crmWrites(stack: TestStack): string[] {
  return stack.crm.admin
    .requests()
    .entries.filter((e) => !e.admin && e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`);
}

/** Poison messages that concern the account (other tests' leftovers do not count). */
export async function poisonFor(stack: TestStack, accountId: string): Promise<string[]> {
  const queues = QUEUE_NAMES;
  const all = (await Promise.all(queues.map((q) => stack.transport.peekPoison(q)))).flat();
  return all.filter((p) => JSON.stringify(p).includes(accountId)).map((p) => p.reason);
}
