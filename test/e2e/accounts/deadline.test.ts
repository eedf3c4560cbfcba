import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { expectV2Banner, getAccount, productNow, register, waitForProductTime } from './account-api.js';

/**
 * The migration deadline (end of 18.07.2025, Berlin = 2025-07-18T22:00:00Z) as the accounts
 * API shows it. The product's clock starts two seconds before and runs in real time, so the
 * file sees 21:59:59Z and then 22:00:00Z on one stack.
 */
describe('accounts around the migration deadline', () => {
  let stack: TestStack;
  const v2Mail = 'deadline-v2@contoso.example';
  const v3Mail = 'deadline-v3@contoso.example';

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-07-18T21:59:52Z' });
    stack.graph.admin.createMailbox({ mail: v2Mail });
    stack.graph.admin.createMailbox({ mail: v3Mail });
  });
  afterAll(() => stack?.stop());

  it('shows migrationRequired at 21:59:59Z and migrationOverdue from 22:00:00Z', async () => {
    const v2 = await register(stack, { email: v2Mail, syncVersion: 'v2' });
    const v3 = await register(stack, { email: v3Mail, syncVersion: 'v3' });

    await waitForProductTime(stack, '2025-07-18T21:59:59Z');
    const before = await getAccount(stack, v2.id);
    const v3Before = await getAccount(stack, v3.id);
    expect(productNow(stack) < '2025-07-18T22:00:00.000Z', 'still before the deadline').toBe(true);
    expect(before.migration.state).toBe('migrationRequired');
    expect(before.migration.deadline).toBe('2025-07-18T22:00:00.000Z');
    expect(before.migration.shutdown).toBe('2025-07-31T22:00:00.000Z');
    expectV2Banner(before, 'warning');
    expect(v3Before.migration.state).toBe('ok');
    expect(v3Before.migration.banner).toBeNull();

    await waitForProductTime(stack, '2025-07-18T22:00:00Z');
    const after = await getAccount(stack, v2.id);
    const v3After = await getAccount(stack, v3.id);
    expect(after.migration.state).toBe('migrationOverdue');
    expectV2Banner(after, 'critical');
    expect(after.migration.banner?.text.de).not.toBe(before.migration.banner?.text.de);
    expect(v3After.migration.state).toBe('ok');
    expect(v3After.migration.banner).toBeNull();
  });

  it('records the transition once when the migrationCutoff timer runs after the deadline', async () => {
    const list = await stack.api('GET', '/api/accounts');
    const items = (list.json as { items: { id: string; email: string }[] }).items;
    const v2 = items.find((a) => a.email === v2Mail);
    expect(v2).toBeDefined();
    // Twice: the timer is idempotent, a second run must not add a history entry.
    for (let run = 0; run < 2; run++) {
      const response = await fetch(`${stack.host.url}/admin/functions/migrationCutoff`, {
        method: 'POST',
        headers: { 'x-functions-key': stack.host.masterKey },
      });
      expect(response.ok).toBe(true);
    }
    const stored = await stack.runtime.deps.accounts.get(v2?.id ?? '');
    expect(stored?.value.migration.state).toBe('migrationOverdue');
    expect(stored?.value.migration.banner?.severity).toBe('critical');
    expect(stored?.value.migration.history.map((h) => `${h.from}->${h.to}`)).toEqual([
      'null->migrationRequired',
      'migrationRequired->migrationOverdue',
    ]);
  });
});
