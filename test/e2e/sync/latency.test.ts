import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { crmByLastName, newAccount, outlookBySurname, type TestAccount, tag, waitFor } from './helpers.js';

/** Issue 5: an edit in either system shows up on the other side within 5 seconds. */
const LIMIT_MS = 5000;

describe('issue 5: edits arrive on the other side within 5 seconds', () => {
  let stack: TestStack;
  let account: TestAccount;

  beforeAll(async () => {
    stack = await startTestStack();
    account = await newAccount(stack, 'latency');
  });
  afterAll(() => stack?.stop());

  /** Wall time from the start of the user's edit until `arrived` holds, polled every 20 ms. */
  async function timeUntil(
    edit: () => Promise<unknown>,
    arrived: () => boolean,
    what: string,
  ): Promise<number> {
    await stack.settle();
    const started = Date.now();
    await edit();
    await waitFor(() => (arrived() ? true : undefined), what, LIMIT_MS + 2000);
    return Date.now() - started;
  }

  it('an Outlook create and edits reach the CRM in under 5 s', async () => {
    const surname = tag('FastO');
    let outlookId = '';
    const created = await timeUntil(
      async () => {
        outlookId = (await stack.outlook.createContact(account.mailbox, { givenName: 'Fritz', surname })).id;
      },
      () => crmByLastName(stack, surname).length === 1,
      'the Outlook contact in the CRM',
    );
    expect(created).toBeLessThan(LIMIT_MS);
    for (const jobTitle of ['Eins', 'Zwei', 'Drei']) {
      const elapsed = await timeUntil(
        () => stack.outlook.updateContact(account.mailbox, outlookId, { jobTitle }),
        () => crmByLastName(stack, surname)[0]?.position === jobTitle,
        `jobTitle ${jobTitle} in the CRM`,
      );
      expect(elapsed, jobTitle).toBeLessThan(LIMIT_MS);
    }
  });

  it('a tagged CRM create and edits reach Outlook in under 5 s', async () => {
    const lastName = tag('FastC');
    let crmId = '';
    const created = await timeUntil(
      async () => {
        crmId = (await stack.crmUser.create({ firstName: 'Frieda', lastName, syncAccounts: [account.id] }))
          .id;
      },
      () => outlookBySurname(stack, account, lastName).length === 1,
      'the CRM contact in Outlook',
    );
    expect(created).toBeLessThan(LIMIT_MS);
    for (const company of ['Alpha AG', 'Beta AG', 'Gamma AG']) {
      const elapsed = await timeUntil(
        () => stack.crmUser.update(crmId, { company }),
        () => outlookBySurname(stack, account, lastName)[0]?.companyName === company,
        `company ${company} in Outlook`,
      );
      expect(elapsed, company).toBeLessThan(LIMIT_MS);
    }
  });
});
