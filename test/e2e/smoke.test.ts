import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';

describe('the local stack end to end', () => {
  let stack: TestStack;
  const mailbox = 'smoke@contoso.example';

  beforeAll(async () => {
    stack = await startTestStack();
    stack.graph.admin.createMailbox({ mail: mailbox });
  });
  afterAll(() => stack?.stop());

  it('answers health with what it is connected to', async () => {
    const health = await stack.api('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', connectedTo: { queue: 'storage queues' } });
  });

  it('brings an Outlook contact into the CRM and a tagged CRM contact into Outlook', async () => {
    await stack.outlook.createContact(mailbox, {
      givenName: 'Olga',
      surname: 'Outlook',
      emailAddresses: [{ address: 'olga@example.org', name: 'Olga' }],
    });
    const account = await stack.registerAccount({
      email: mailbox,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });

    // Graph only posts to https URLs: the subscriptions name the host's https listener.
    const subscriptions = stack.graph.admin.subscriptions();
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const s of subscriptions) {
      expect(s.notificationUrl).toBe(`${stack.env.PUBLIC_BASE_URL}/api/graph/notifications`);
      expect(s.lifecycleNotificationUrl).toBe(`${stack.env.PUBLIC_BASE_URL}/api/graph/lifecycle`);
    }
    expect(stack.env.PUBLIC_BASE_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const inCrm = (await stack.crmUser.all()).find((c) => c.lastName === 'Outlook');
    expect(inCrm?.emails).toEqual([{ address: 'olga@example.org', type: null }]);
    expect(inCrm?.syncAccounts).toEqual([account.id]);

    await stack.crmUser.create({
      firstName: 'Carl',
      lastName: 'Crm',
      phones: [{ number: '030 1234567', type: 'business' }],
      notes: 'never to Outlook',
      syncAccounts: [account.id],
    });
    await stack.settle();
    const inOutlook = stack.graph.admin.contacts(mailbox).find((c) => c.surname === 'Crm');
    expect(inOutlook?.businessPhones).toEqual(['+49301234567']);
    expect(inOutlook?.personalNotes ?? '').toBe('');
  });

  it('serves the Graph webhook routes over https with the local CA', async () => {
    const token = 'Validation: Token 123+/=';
    const response = await fetch(
      `${stack.env.PUBLIC_BASE_URL}/api/graph/notifications?validationToken=${encodeURIComponent(token)}`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(token);
  });
});
