import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATION_INSTANTS } from '../../../shared/accounts/migration-policy.js';
import { newAccount } from '../../../shared/accounts/new-account.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  crmWrites,
  expectV2Banner,
  getAccount,
  graphContactWrites,
  poisonFor,
  productNow,
  register,
  waitForProductTime,
} from './account-api.js';

/**
 * The V2 shutdown (start of 01.08.2025, Berlin = 2025-07-31T22:00:00Z). The product's clock
 * starts a few seconds before it (room for the stack to start and the accounts to connect), so one stack sees 21:59:59Z, 22:00:00Z and the cutoff timer
 * crossing it.
 */
describe('accounts around the V2 shutdown', () => {
  let stack: TestStack;
  const v2Mail = 'shutdown-v2@contoso.example';
  const v3Mail = 'shutdown-v3@contoso.example';
  const crossingMail = 'crossing-v2@contoso.example';
  const crossing = {
    id: randomUUID(),
    subscriptionId: '',
    clientState: randomBytes(24).toString('base64url'),
  };

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-07-31T21:59:52Z' });
    for (const mail of [v2Mail, v3Mail, crossingMail]) stack.graph.admin.createMailbox({ mail });
    // A V2 account that was syncing before the shutdown, with its live Graph subscription. It is
    // arranged directly: the product's own connect cannot subscribe on a clock that stands in
    // 2025 while the Graph emulator lives in real time (reported as a stack limitation).
    const subscription = await stack.outlook.request<{ id: string; expirationDateTime: string }>(
      'POST',
      '/subscriptions',
      {
        changeType: 'created,updated,deleted',
        notificationUrl: `${stack.env.PUBLIC_BASE_URL}/api/graph/notifications`,
        lifecycleNotificationUrl: `${stack.env.PUBLIC_BASE_URL}/api/graph/lifecycle`,
        resource: `users/${crossingMail}/contacts`,
        expirationDateTime: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        clientState: crossing.clientState,
      },
    );
    crossing.subscriptionId = subscription.id;
    const account = newAccount(
      { email: crossingMail, syncVersion: 'v2' },
      { id: crossing.id, now: stack.runtime.deps.clock.now(), instants: DEFAULT_MIGRATION_INSTANTS },
    );
    await stack.runtime.deps.accounts.put(
      {
        ...account,
        subscription: {
          id: subscription.id,
          expirationDateTime: subscription.expirationDateTime,
          clientState: crossing.clientState,
          resource: `users/${crossingMail}/contacts`,
        },
      },
      null,
    );
  });
  afterAll(() => stack?.stop());

  it('shows migrationOverdue at 21:59:59Z and syncStopped from 22:00:00Z', async () => {
    const v2 = await register(stack, { email: v2Mail, syncVersion: 'v2' });
    const v3 = await register(stack, { email: v3Mail, syncVersion: 'v3' });

    await waitForProductTime(stack, '2025-07-31T21:59:59Z');
    const before = await getAccount(stack, v2.id);
    const v3Before = await getAccount(stack, v3.id);
    expect(productNow(stack) < '2025-07-31T22:00:00.000Z', 'still before the shutdown').toBe(true);
    expect(before.migration.state).toBe('migrationOverdue');
    expectV2Banner(before, 'critical');
    expect(v3Before.migration.state).toBe('ok');
    expect(v3Before.migration.banner).toBeNull();

    await waitForProductTime(stack, '2025-07-31T22:00:00Z');
    const after = await getAccount(stack, v2.id);
    const v3After = await getAccount(stack, v3.id);
    expect(after.migration.state).toBe('syncStopped');
    expectV2Banner(after, 'critical');
    expect(after.migration.banner?.text.de).not.toBe(before.migration.banner?.text.de);
    expect(v3After.migration.state).toBe('ok');
    expect(v3After.migration.banner).toBeNull();
  });

  it('removes the subscription of a V2 account that crosses the shutdown, through the queue', async () => {
    await waitForProductTime(stack, '2025-07-31T22:00:00Z');
    expect(stack.graph.admin.subscriptions().map((s) => s.id)).toContain(crossing.subscriptionId);

    const run = await fetch(`${stack.host.url}/admin/functions/migrationCutoff`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.host.masterKey },
    });
    expect(run.status).toBe(202);
    await stack.settle();

    const stored = await stack.runtime.deps.accounts.get(crossing.id);
    expect(stored?.value.migration.state).toBe('syncStopped');
    expect(stored?.value.migration.history.at(-1)).toMatchObject({
      from: 'migrationOverdue',
      to: 'syncStopped',
    });
    expect(stack.graph.admin.subscriptions().map((s) => s.id)).not.toContain(crossing.subscriptionId);
    expect(stored?.value.subscription).toBeNull();
    expect(await poisonFor(stack, crossing.id)).toEqual([]);
  });

  it('after the shutdown, Outlook and CRM changes of the V2 account write nothing and are not retried', async () => {
    await waitForProductTime(stack, '2025-07-31T22:00:00Z');
    stack.graph.admin.clearRequests();
    stack.crm.admin.clearRequests();
    const logStart = stack.logs.length;

    await stack.outlook.createContact(crossingMail, { givenName: 'Otto', surname: 'Afterstop' });
    const crmContact = await stack.crmUser.create({
      firstName: 'Clara',
      lastName: 'Afterstop',
      syncAccounts: [crossing.id],
    });
    await stack.settle();

    expect(graphContactWrites(stack)).toEqual(['POST /users/{m}/contacts']);
    expect(crmWrites(stack)).toEqual(['POST /crm/v1/contacts']);
    expect(await poisonFor(stack, crossing.id)).toEqual([]);
    const logs = stack.logs.slice(logStart);
    // The CRM's event must reach the product (and be skipped there), not be refused and retried.
    const deliveries = stack.crm.admin.deliveries().map((d) => d.outcome);
    expect(deliveries).toEqual(['ok HTTP 202']);
    expect(logs.filter((line) => line.includes('try ') && line.includes('failed'))).toEqual([]);
    expect(
      logs.some(
        (line) =>
          line.includes('crmChanged skipped') &&
          line.includes(crossing.id) &&
          line.includes('sync stopped at the shutdown'),
      ),
      `a skip with its reason for CRM contact ${crmContact.id}:\n${logs.join('\n')}`,
    ).toBe(true);
  });
});
