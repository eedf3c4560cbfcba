import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { crmByLastName, newAccount, outlookBySurname, type TestAccount, tag } from './helpers.js';

/** DESIGN section 9, rule 6, with the default `exchangeDeleteAction: 'unlink'`. */
describe('issue 5: deletes and sync-tag removals', () => {
  let stack: TestStack;
  let account: TestAccount;

  beforeAll(async () => {
    stack = await startTestStack();
    account = await newAccount(stack, 'deletes');
  });
  afterAll(() => stack?.stop());

  async function crmBornPair() {
    const lastName = tag('Del');
    const crm = await stack.crmUser.create({ firstName: 'Doris', lastName, syncAccounts: [account.id] });
    await stack.settle();
    const [copy] = outlookBySurname(stack, account, lastName);
    if (!copy) throw new Error('the tagged CRM contact did not reach Outlook');
    return { crm, copy, lastName };
  }

  it('a CRM delete deletes the Outlook copy', async () => {
    const { crm, lastName } = await crmBornPair();
    await stack.crmUser.delete(crm.id);
    await stack.settle();
    expect(outlookBySurname(stack, account, lastName)).toEqual([]);
    expect(await stack.runtime.deps.mirror.getByCrmId(account.id, crm.id)).toBeNull();
  });

  it('removing the sync tag deletes the Outlook copy and keeps the CRM contact', async () => {
    const { crm, lastName } = await crmBornPair();
    await stack.crmUser.update(crm.id, { syncAccounts: [] });
    await stack.settle();
    expect(outlookBySurname(stack, account, lastName)).toEqual([]);
    const kept = await stack.crmUser.get(crm.id);
    expect(kept).toMatchObject({ firstName: 'Doris', lastName, syncAccounts: [] });
    expect(await stack.runtime.deps.mirror.getByCrmId(account.id, crm.id)).toBeNull();
  });

  it('an Outlook delete unlinks the CRM contact (account tag removed) without deleting it', async () => {
    const surname = tag('OutDel');
    const other = 'other-account-id';
    const outlook = await stack.outlook.createContact(account.mailbox, { givenName: 'Udo', surname });
    await stack.settle();
    const [crm] = crmByLastName(stack, surname);
    if (!crm) throw new Error('the Outlook contact did not reach the CRM');
    // A tag for another account must survive the unlink.
    await stack.crmUser.update(crm.id, { syncAccounts: [...crm.syncAccounts, other], notes: 'bleibt' });
    await stack.settle();

    await stack.outlook.deleteContact(account.mailbox, outlook.id);
    await stack.settle();
    const after = await stack.crmUser.get(crm.id);
    expect(after).toMatchObject({
      firstName: 'Udo',
      lastName: surname,
      notes: 'bleibt',
      syncAccounts: [other],
    });
    expect(await stack.runtime.deps.mirror.getByCrmId(account.id, crm.id)).toBeNull();
  });
});
