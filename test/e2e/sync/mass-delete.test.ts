import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  clearRequests,
  crmByLastName,
  crmWrites,
  disagreements,
  linkCount,
  outlookContacts,
  type TestAccount,
  tag,
  total,
} from './helpers.js';

/** DESIGN section 9, rule 6: MASS_DELETE_MIN 10 and MASS_DELETE_SHARE 0.5 (the defaults). */
describe('issue 5: a mass deletion in Outlook is held for confirmation', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('holds 20 of 30 deletes until they are confirmed, then carries them out', async () => {
    const mailbox = `${tag('mass')}@contoso.example`;
    stack.graph.admin.createMailbox({ mail: mailbox });
    const surname = tag('Mass');
    await stack.outlook.createContacts(
      mailbox,
      Array.from({ length: 30 }, (_, n) => ({ givenName: `Person${n}`, surname })),
    );
    const registered = await stack.registerAccount({
      email: mailbox,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });
    const account: TestAccount = { id: registered.id, mailbox };
    expect(await linkCount(stack, account.id)).toBe(30);
    expect(crmByLastName(stack, surname)).toHaveLength(30);

    // All 20 deletes are done before the first notification arrives, as one bulk delete in
    // Outlook would be: the delta round sees them together.
    await stack.graph.admin.fault({ kind: 'delayNotifications', count: 20, ms: 500 });
    clearRequests(stack);
    const doomed = outlookContacts(stack, account).slice(0, 20);
    const result = await stack.outlook.request<{ responses: { status: number }[] }>('POST', '/$batch', {
      requests: doomed.map((c, n) => ({
        id: String(n + 1),
        method: 'DELETE',
        url: `/users/${encodeURIComponent(mailbox)}/contacts/${encodeURIComponent(c.id)}`,
      })),
    });
    expect(result.responses.map((r) => r.status)).toEqual(doomed.map(() => 204));
    await stack.settle();

    expect(total(crmWrites(stack)), JSON.stringify(crmWrites(stack))).toBe(0);
    expect(crmByLastName(stack, surname).filter((c) => c.syncAccounts.includes(account.id))).toHaveLength(30);
    expect(await linkCount(stack, account.id)).toBe(30);
    const held = await stack.api('GET', `/api/accounts/${account.id}`);
    expect(held.json).toMatchObject({ sync: { heldDeletes: 20 } });

    const confirm = await stack.api('POST', `/api/accounts/${account.id}/confirm-deletes`);
    expect(confirm.status).toBeLessThan(300);
    await stack.settle();

    const doomedIds = new Set(doomed.map((c) => c.id));
    const crm = crmByLastName(stack, surname);
    expect(crm).toHaveLength(30); // unlinked, not deleted
    expect(crm.filter((c) => c.syncAccounts.includes(account.id))).toHaveLength(10);
    expect(await linkCount(stack, account.id)).toBe(10);
    for await (const link of stack.runtime.deps.mirror.list(account.id))
      expect(doomedIds.has(link.exchangeId)).toBe(false);
    const after = await stack.api('GET', `/api/accounts/${account.id}`);
    expect(after.json).toMatchObject({ sync: { heldDeletes: 0, linked: 10 } });
    expect(await disagreements(stack, account)).toEqual([]);
  }, 90_000); // 30 creates, their 30 CRM echoes and 20 unlinks: slow on a loaded machine
});
