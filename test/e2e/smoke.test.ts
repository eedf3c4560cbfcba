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
});
