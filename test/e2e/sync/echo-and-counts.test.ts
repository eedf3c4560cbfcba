import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  clearRequests,
  crmByLastName,
  crmWrites,
  graphWrites,
  newAccount,
  outlookBySurname,
  type TestAccount,
  tag,
  total,
} from './helpers.js';

/**
 * DESIGN section 9, rule 3 (no echo): every user edit makes exactly one write on the other
 * side, and the sync's own write, seen again through a notification or event, writes nothing.
 * The user's own write is in its emulator's log too, so each side counts exactly one write.
 */
describe('issue 5: one user edit, one write on the other side, none back', () => {
  let stack: TestStack;
  let account: TestAccount;

  beforeAll(async () => {
    stack = await startTestStack();
    account = await newAccount(stack, 'echo');
  });
  afterAll(() => stack?.stop());

  /** Runs the user's action on a quiet stack and returns the writes it led to on both sides. */
  async function writesAfter(action: () => Promise<unknown>) {
    await stack.settle();
    clearRequests(stack);
    await action();
    await stack.settle();
    // A late echo would show up after a first quiet moment: look again after a second settle.
    await stack.settle();
    return { graph: graphWrites(stack), crm: crmWrites(stack) };
  }

  it('an Outlook create writes one CRM create and nothing back to Outlook', async () => {
    const surname = tag('EchoO');
    const writes = await writesAfter(() =>
      stack.outlook.createContact(account.mailbox, {
        givenName: 'Otto',
        surname,
        emailAddresses: [{ address: `${surname}@example.org`, name: 'Otto' }],
      }),
    );
    expect(total(writes.graph), JSON.stringify(writes)).toBe(1); // the user's own create
    expect(total(writes.crm), JSON.stringify(writes)).toBe(1);
    expect(writes.crm['POST /crm/v1/contacts'], JSON.stringify(writes)).toBe(1);
    expect(crmByLastName(stack, surname)).toHaveLength(1);
  });

  it('a tagged CRM create writes one Outlook create and nothing back to the CRM', async () => {
    const lastName = tag('EchoC');
    const writes = await writesAfter(() =>
      stack.crmUser.create({
        firstName: 'Clara',
        lastName,
        phones: [{ number: '030 5550001', type: 'business' }],
        syncAccounts: [account.id],
      }),
    );
    expect(total(writes.crm), JSON.stringify(writes)).toBe(1); // the user's own create
    expect(total(writes.graph), JSON.stringify(writes)).toBe(1);
    expect(outlookBySurname(stack, account, lastName)).toHaveLength(1);
  });

  it('each Outlook edit writes exactly one CRM update and nothing back', async () => {
    const surname = tag('EchoOE');
    const created = await stack.outlook.createContact(account.mailbox, { givenName: 'Olaf', surname });
    await stack.settle();
    for (const jobTitle of ['Makler', 'Gutachter', 'Verwalter']) {
      const writes = await writesAfter(() =>
        stack.outlook.updateContact(account.mailbox, created.id, { jobTitle }),
      );
      expect(total(writes.graph), `${jobTitle}: ${JSON.stringify(writes)}`).toBe(1); // the user's own edit
      expect(total(writes.crm), `${jobTitle}: ${JSON.stringify(writes)}`).toBe(1);
      expect(crmByLastName(stack, surname)[0]?.position).toBe(jobTitle);
    }
  });

  it('each CRM edit writes exactly one Outlook update and nothing back', async () => {
    const lastName = tag('EchoCE');
    const created = await stack.crmUser.create({ firstName: 'Cem', lastName, syncAccounts: [account.id] });
    await stack.settle();
    for (const company of ['Haus & Hof KG', 'Wohnbau AG', 'Makler GmbH']) {
      const writes = await writesAfter(() => stack.crmUser.update(created.id, { company }));
      expect(total(writes.crm), `${company}: ${JSON.stringify(writes)}`).toBe(1); // the user's own edit
      expect(total(writes.graph), `${company}: ${JSON.stringify(writes)}`).toBe(1);
      expect(outlookBySurname(stack, account, lastName)[0]?.companyName).toBe(company);
    }
  });

  it('a CRM edit outside the Exchange window (notes) writes nothing to Outlook', async () => {
    const lastName = tag('EchoN');
    const created = await stack.crmUser.create({ firstName: 'Nora', lastName, syncAccounts: [account.id] });
    await stack.settle();
    const writes = await writesAfter(() => stack.crmUser.update(created.id, { notes: 'nur intern' }));
    expect(total(writes.crm), JSON.stringify(writes)).toBe(1); // the user's own edit
    expect(total(writes.graph), JSON.stringify(writes)).toBe(0);
  });
});
