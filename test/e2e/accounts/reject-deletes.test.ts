import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';

/**
 * POST /api/accounts/{id}/reject-deletes (issue 16 item 6), the API side of "Verwerfen": the
 * held deletes are not carried out, no CRM contact changes, the tagged ones are written back
 * to Outlook. Guarded like the other account routes.
 */
describe('rejecting held deletes through the API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('writes the held contacts back to Outlook and leaves the CRM untouched; 409 when nothing is held', async () => {
    const mailbox = stack.users.agent.mail;
    const created = [];
    for (let n = 0; n < 12; n++)
      created.push(
        await stack.outlook.createContact(mailbox, { givenName: `Held${n}`, surname: 'Rejected' }),
      );
    const response = await stack.api(
      'POST',
      '/api/accounts',
      { email: mailbox, syncVersion: 'v3', provider: 'microsoft365' },
      { as: 'agent' },
    );
    expect(response.status, response.text).toBe(201);
    const id = (response.json as { id: string }).id;
    await stack.settle();
    const before = (await stack.runtime.deps.crm.list()).items.filter((c) => c.lastName === 'Rejected');
    expect(before).toHaveLength(12);

    await stack.graph.admin.fault({ kind: 'delayNotifications', count: 10, ms: 500 });
    for (const contact of created.slice(0, 10)) await stack.outlook.deleteContact(mailbox, contact.id);
    await stack.settle();
    expect((await stack.runtime.deps.accounts.get(id))?.value.status.heldDeletes).toBe(10);

    expect(
      (await stack.api('POST', `/api/accounts/${id}/reject-deletes`, undefined, { as: null })).status,
    ).toBe(401);
    const rejected = await stack.api('POST', `/api/accounts/${id}/reject-deletes`, undefined, {
      as: 'agent',
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.json).toEqual({ restored: 10, unlinked: 0 });
    await stack.settle();

    const after = (await stack.runtime.deps.crm.list()).items.filter((c) => c.lastName === 'Rejected');
    expect(after.map((c) => [c.id, c.version, c.syncAccounts])).toEqual(
      before.map((c) => [c.id, c.version, c.syncAccounts]),
    );
    for (const contact of after) {
      const link = await stack.runtime.deps.mirror.getByCrmId(id, contact.id);
      expect(link, contact.firstName ?? '').not.toBeNull();
      expect(await stack.runtime.deps.exchange.get(mailbox, link?.value.exchangeId ?? '')).not.toBeNull();
    }
    const again = await stack.api('POST', `/api/accounts/${id}/reject-deletes`, undefined, { as: 'agent' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'NothingHeld' } });
  });
});
