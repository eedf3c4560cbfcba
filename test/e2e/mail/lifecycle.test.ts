import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { newAccount, type TestAccount, tag } from '../sync/helpers.js';
import { emailsOf, person, receive } from './helpers.js';

/**
 * The message subscription's lifecycle events on the whole stack (issue 17 item 1: "the
 * subscription machinery of contacts: renewal, lifecycle events, clientState"), as the Graph
 * emulator posts them ("Reduce missing subscriptions and change notifications",
 * learn.microsoft.com/graph/change-notifications-lifecycle-events):
 * - `reauthorizationRequired`: delivery pauses until the app reauthorizes or renews; the
 *   product renews (PATCH expirationDateTime, which also reauthorizes) and mail flows by
 *   notification again;
 * - `missed`: Graph dropped notifications; the product runs a delta round at once instead
 *   of waiting for the periodic sweep.
 * The reconcile timer never fires in these tests, so only the lifecycle handling can bring
 * the mail in.
 */
describe('issue 17: lifecycle events of the message subscription', () => {
  let stack: TestStack;
  let agent: TestAccount;
  let client: { id: string; address: string };

  const subscriptionOf = async (account: TestAccount) => {
    const stored = (await stack.runtime.deps.accounts.get(account.id))?.value.mail?.subscription;
    expect(stored, 'the account holds a message subscription').toBeTruthy();
    return stored as NonNullable<typeof stored>;
  };
  const inGraph = (id: string) => stack.graph.admin.subscriptions().find((s) => s.id === id);
  const subjects = async () => (await emailsOf(stack, client.id)).map((m) => m.subject);

  beforeAll(async () => {
    stack = await startTestStack();
    agent = await newAccount(stack, 'makler');
    const address = `${tag('klara')}@kunde.example`;
    const created = await stack.crmUser.create({
      firstName: 'Klara',
      lastName: tag('Kundin'),
      emails: [{ address, type: null }],
    });
    client = { id: created.id, address };
  }, 60_000);
  afterAll(() => stack?.stop());

  it('renews the subscription on reauthorizationRequired, so the paused delivery resumes and mail arrives by notification', async () => {
    const before = await subscriptionOf(agent);
    stack.graph.admin.clearRequests();
    // Delivery pauses at once (the emulator's on-demand challenge has no grace period).
    await stack.graph.admin.fault({ kind: 'lifecycle', id: before.id, event: 'reauthorizationRequired' });
    await stack.settle();

    const after = await subscriptionOf(agent);
    // The same subscription, renewed: Graph's expiry moved on, and the account shows the new one.
    expect(after.id).toBe(before.id);
    expect(inGraph(before.id)?.pauseAt).toBeNull();
    expect(stack.graph.admin.requests().byRoute['PATCH /subscriptions/{id}']).toBe(1);
    expect(Date.parse(after.expirationDateTime)).toBeGreaterThanOrEqual(
      Date.parse(before.expirationDateTime),
    );
    expect(Date.parse(inGraph(before.id)?.expirationDateTime ?? '')).toBe(
      Date.parse(after.expirationDateTime),
    );

    await receive(stack, agent.mailbox, { from: person(client.address), subject: 'Nach der Erneuerung' });
    await stack.settle();
    expect(await subjects()).toContain('Nach der Erneuerung');
  });

  it('runs a round at once on missed, bringing in the mail whose notifications Graph dropped', async () => {
    await stack.graph.admin.fault({ kind: 'dropNotifications', count: 1, missed: true });
    await receive(stack, agent.mailbox, {
      from: person(client.address),
      subject: 'Benachrichtigung verloren',
    });
    await stack.settle();
    expect((await subjects()).filter((s) => s === 'Benachrichtigung verloren')).toHaveLength(1);
  });

  it('ignores a lifecycle event for the mail subscription with the wrong clientState', async () => {
    const current = await subscriptionOf(agent);
    const response = await fetch(`${stack.host.url}/api/graph/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: current.id,
            subscriptionExpirationDateTime: current.expirationDateTime,
            tenantId: stack.graph.tenantId,
            clientState: 'not-the-secret',
            lifecycleEvent: 'reauthorizationRequired',
          },
        ],
      }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 0, rejected: 1, enqueued: 0 });
  });
});
