import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  crmByLastName,
  disagreements,
  newAccount,
  outlookBySurname,
  reconcile,
  type TestAccount,
  tag,
} from './helpers.js';
import { poisonFor } from './outlook-actions.js';

/**
 * Issue 13 item 5: change notifications as Graph delivers them (learn.microsoft.com:
 * change-notifications-delivery-webhooks, change-notifications-lifecycle-events,
 * change-notifications-delivery-latency): late, several subscriptions in one POST, delivery
 * paused until the app reauthorizes, `missed` after dropped deliveries, expired subscriptions
 * deleted without a word, and deletes that send no notification. Nothing is lost, nothing stuck.
 * Unless a test says so, nothing here runs reconcile: the product must catch up by itself.
 */
describe('issue 13: notifications as Graph delivers them', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      graph: { notificationDelayMs: 30, notificationRetry: { attempts: 4, baseDelayMs: 50 } },
    });
  });
  afterAll(() => stack?.stop());

  async function linkedContact(name: string) {
    const account = await newAccount(stack, name);
    const surname = tag('Note');
    const outlook = await stack.outlook.createContact(account.mailbox, { givenName: 'Nora', surname });
    await stack.settle();
    const [crm] = crmByLastName(stack, surname);
    if (!crm) throw new Error('the Outlook contact did not reach the CRM');
    return { account, surname, outlook, crm };
  }

  function subscriptionOf(account: TestAccount) {
    const mine = stack.graph.admin
      .subscriptions()
      .filter((s) => s.resource.toLowerCase().includes(account.mailbox.toLowerCase()));
    return mine;
  }

  async function storedSubscriptionId(account: TestAccount): Promise<string> {
    const stored = await stack.runtime.deps.accounts.get(account.id);
    const id = stored?.value.subscription?.id;
    if (!id) throw new Error('the account has no subscription');
    return id;
  }

  it('reauthorizationRequired pauses delivery; the product reauthorizes and nothing is lost', async () => {
    const { account, outlook, crm } = await linkedContact('reauth');
    const subscriptionId = await storedSubscriptionId(account);
    stack.graph.admin.clearRequests();
    await stack.graph.admin.fault({
      kind: 'lifecycle',
      id: subscriptionId,
      event: 'reauthorizationRequired',
      pause: true,
    });
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Während der Pause' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Während der Pause');
    const routes = Object.keys(stack.graph.admin.requests().byRoute);
    expect(
      routes.some((r) =>
        /^POST \/subscriptions\/\{id\}\/reauthorize$|^PATCH \/subscriptions\/\{id\}$/.test(r),
      ),
    ).toBe(true);
    // Delivery runs again: a later edit arrives by notification alone.
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Danach' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Danach');
    expect(await storedSubscriptionId(account)).toBe(subscriptionId);
    expect(await poisonFor(stack, account.id)).toEqual([]);
  });

  it('missed after dropped deliveries: a delta round catches up without reconcile', async () => {
    const { account, outlook, crm } = await linkedContact('missed');
    await stack.graph.admin.fault({ kind: 'dropNotifications', count: 1, missed: true });
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Verpasst' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Verpasst');
    expect(await disagreements(stack, account)).toEqual([]);
  });

  it('an expired subscription Graph deleted silently is made again by reconcile, and notifications flow again', async () => {
    const { account, outlook, crm } = await linkedContact('expired');
    const old = await storedSubscriptionId(account);
    await stack.graph.admin.fault({ kind: 'expireSubscription', id: old });
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Ohne Abo' });
    await stack.settle();
    await reconcile(stack);
    expect((await stack.crmUser.get(crm.id)).position).toBe('Ohne Abo');
    const renewed = await storedSubscriptionId(account);
    expect(renewed).not.toBe(old);
    expect(subscriptionOf(account).map((s) => s.id)).toContain(renewed);
    // The new subscription delivers: no reconcile needed for the next edit.
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Neues Abo' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Neues Abo');
  });

  it('subscriptionRemoved: a new subscription, and the changes in between arrive', async () => {
    const { account, outlook, crm } = await linkedContact('removed');
    const old = await storedSubscriptionId(account);
    await stack.graph.admin.fault({ kind: 'removeSubscription', id: old });
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Entfernt' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Entfernt');
    expect(await storedSubscriptionId(account)).not.toBe(old);
  });

  it('a delete that sends no notification is caught by the periodic delta round', async () => {
    const { account, surname, outlook, crm } = await linkedContact('silent');
    await stack.graph.admin.fault({ kind: 'silentDeletes', count: 1 });
    await stack.outlook.deleteContact(account.mailbox, outlook.id);
    await stack.settle();
    // No notification: the CRM still shows it as synced.
    expect((await stack.crmUser.get(crm.id)).syncAccounts).toContain(account.id);
    await reconcile(stack);
    const after = await stack.crmUser.get(crm.id);
    expect(after).toMatchObject({ lastName: surname });
    expect(after.syncAccounts).not.toContain(account.id);
    expect(outlookBySurname(stack, account, surname)).toEqual([]);
  });

  it('late notifications (up to a few hundred ms here) and several accounts at once: every edit arrives', async () => {
    const one = await linkedContact('late-a');
    const two = await linkedContact('late-b');
    await stack.graph.admin.fault({ kind: 'notificationLatency', minMs: 50, maxMs: 400 });
    try {
      await Promise.all([
        stack.outlook.updateContact(one.account.mailbox, one.outlook.id, { jobTitle: 'Spät A' }),
        stack.outlook.updateContact(two.account.mailbox, two.outlook.id, { jobTitle: 'Spät B' }),
      ]);
      await stack.settle();
      expect((await stack.crmUser.get(one.crm.id)).position).toBe('Spät A');
      expect((await stack.crmUser.get(two.crm.id)).position).toBe('Spät B');
    } finally {
      await stack.graph.admin.fault({ kind: 'notificationLatency', minMs: 0, maxMs: 0 });
    }
  });

  it('throttling without Retry-After and 503s without it: the edit still arrives, nothing dead-lettered', async () => {
    const { account, outlook, crm } = await linkedContact('throttle');
    await stack.graph.admin.fault({ kind: 'throttle', retryAfter: 'missing' });
    await stack.graph.admin.fault({ kind: 'status', status: 429, count: 2, route: 'delta' });
    await stack.graph.admin.fault({ kind: 'status', status: 503, count: 2, route: 'delta' });
    try {
      await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Gedrosselt' });
      await stack.settle(60_000);
      expect((await stack.crmUser.get(crm.id)).position).toBe('Gedrosselt');
      expect(await poisonFor(stack, account.id)).toEqual([]);
    } finally {
      await stack.graph.admin.fault({ kind: 'throttle', retryAfter: 'seconds' });
    }
  });
});
