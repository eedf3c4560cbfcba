import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { crmByLastName, newAccount, outlookBySurname, type TestAccount, tag } from './helpers.js';

const E164 = /^\+[1-9]\d{6,14}$/;

describe('issue 5: creates and edits flow between Outlook and the CRM', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('brings a contact created in Outlook into the CRM, e-mail types unset and tagged for the account', async () => {
    const account = await newAccount(stack, 'create-o');
    const surname = tag('Outlook');
    await stack.outlook.createContact(account.mailbox, {
      givenName: 'Olga',
      surname,
      jobTitle: 'Maklerin',
      emailAddresses: [
        { address: `${surname}@work.example`, name: 'Olga' },
        { address: `${surname}@home.example`, name: 'Olga' },
      ],
      businessPhones: ['+49 30 1234567'],
    });
    await stack.settle();

    const [inCrm, ...others] = crmByLastName(stack, surname);
    expect(others).toEqual([]);
    expect(inCrm).toMatchObject({
      firstName: 'Olga',
      position: 'Maklerin',
      emails: [
        { address: `${surname}@work.example`, type: null },
        { address: `${surname}@home.example`, type: null },
      ],
      syncAccounts: [account.id],
    });
    expect(inCrm?.phones.map((p) => p.number)).toEqual(['+49301234567']);
  });

  it('brings a tagged CRM contact into Outlook within the limits and records what stayed behind', async () => {
    const account = await newAccount(stack, 'create-c');
    const lastName = tag('Crm');
    const emails = [1, 2, 3, 4, 5].map((n) => ({ address: `${lastName}.${n}@example.org`, type: null }));
    const created = await stack.crmUser.create({
      firstName: 'Carla',
      lastName,
      emails,
      phones: [
        { number: '030 1111111', type: 'business' },
        { number: '030 2222222', type: 'business' },
        { number: '030 3333333', type: 'business' },
        { number: '040 1111111', type: 'private' },
        { number: '040 2222222', type: 'private' },
        { number: '040 3333333', type: 'private' },
        { number: '0171 1234567', type: 'mobile' },
        { number: 'ask the secretary', type: 'private' },
      ],
      notes: 'only for the CRM',
      syncAccounts: [account.id],
    });
    await stack.settle();

    const [copy, ...others] = outlookBySurname(stack, account, lastName);
    expect(others).toEqual([]);
    expect(copy?.givenName).toBe('Carla');
    expect(copy?.emailAddresses?.map((e) => e.address)).toEqual(emails.slice(0, 3).map((e) => e.address));
    expect(copy?.businessPhones).toEqual(['+49301111111', '+49302222222']);
    expect(copy?.homePhones).toEqual(['+49401111111', '+49402222222']);
    expect(copy?.mobilePhone).toBe('+491711234567');
    for (const phone of [...(copy?.businessPhones ?? []), ...(copy?.homePhones ?? []), copy?.mobilePhone])
      expect(phone).toMatch(E164);
    expect(copy?.personalNotes ?? '').toBe('');

    const log = await stack.runtime.deps.mirror.readLog(account.id, `crm:${created.id}`);
    const warnings = log.filter((e) => e.level === 'warning' && e.action === 'keptBack');
    const details = warnings.map((w) => w.detail).join('\n');
    for (const kept of [
      emails[3]?.address,
      emails[4]?.address,
      '030 3333333',
      '040 3333333',
      'ask the secretary',
    ])
      expect(details).toContain(kept);
    expect(warnings.some((w) => /notes/i.test(w.detail))).toBe(true);

    // Nothing of the overflow was lost in the CRM by the first sync.
    const after = await stack.crmUser.get(created.id);
    expect(after.emails).toEqual(emails);
    expect(after.phones).toHaveLength(8);
    expect(after.notes).toBe('only for the CRM');
  });

  it('carries an edit in Outlook into the CRM and an edit in the CRM into Outlook', async () => {
    const account = await newAccount(stack, 'edit');
    const surname = tag('Edit');
    const outlook = await stack.outlook.createContact(account.mailbox, { givenName: 'Eva', surname });
    await stack.settle();
    const [crm] = crmByLastName(stack, surname);
    if (!crm) throw new Error('the Outlook contact did not reach the CRM');

    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Geschäftsführerin' });
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).position).toBe('Geschäftsführerin');

    await stack.crmUser.update(crm.id, { company: 'Immobilien Eva GmbH' });
    await stack.settle();
    const copy = await stack.outlook.getContact(account.mailbox, outlook.id);
    expect(copy).toMatchObject({ companyName: 'Immobilien Eva GmbH', jobTitle: 'Geschäftsführerin' });
  });

  describe('what only the CRM holds survives Outlook edits', () => {
    let account: TestAccount;
    let crmId: string;
    let outlookId: string;
    const lastName = tag('Overflow');
    const emails = [1, 2, 3, 4].map((n) => `${lastName}.${n}@example.org`);

    beforeAll(async () => {
      account = await newAccount(stack, 'overflow');
      const created = await stack.crmUser.create({
        firstName: 'Otto',
        lastName,
        emails: emails.map((address) => ({ address, type: null })),
        phones: [
          { number: '030 4444441', type: 'business' },
          { number: '030 4444442', type: 'business' },
          { number: '030 4444443', type: 'business' },
        ],
        notes: 'Schlüssel beim Nachbarn',
        syncAccounts: [account.id],
      });
      crmId = created.id;
      await stack.settle();
      // After the first sync the CRM user chooses the e-mail types.
      await stack.crmUser.update(crmId, {
        emails: [
          { address: emails[0] ?? '', type: 'business' },
          { address: emails[1] ?? '', type: 'private' },
          { address: emails[2] ?? '', type: 'business' },
          { address: emails[3] ?? '', type: 'private' },
        ],
      });
      await stack.settle();
      const [copy] = outlookBySurname(stack, account, lastName);
      if (!copy) throw new Error('the tagged CRM contact did not reach Outlook');
      outlookId = copy.id;
    });

    it('keeps the 4th e-mail, the 3rd phone, the notes and the chosen e-mail types when Outlook edits another field', async () => {
      await stack.outlook.updateContact(account.mailbox, outlookId, { jobTitle: 'Hausverwalter' });
      await stack.settle();
      const crm = await stack.crmUser.get(crmId);
      expect(crm.position).toBe('Hausverwalter');
      expect(crm.emails).toEqual([
        { address: emails[0], type: 'business' },
        { address: emails[1], type: 'private' },
        { address: emails[2], type: 'business' },
        { address: emails[3], type: 'private' },
      ]);
      expect(crm.phones).toEqual([
        { number: '030 4444441', type: 'business' },
        { number: '030 4444442', type: 'business' },
        { number: '030 4444443', type: 'business' },
      ]);
      expect(crm.notes).toBe('Schlüssel beim Nachbarn');
    });

    it('changes exactly the CRM e-mail of the slot Outlook edited', async () => {
      const before = await stack.crmUser.get(crmId);
      const changed = `${lastName}.second-new@example.org`;
      await stack.outlook.updateContact(account.mailbox, outlookId, {
        emailAddresses: [
          { address: emails[0], name: emails[0] },
          { address: changed, name: changed },
          { address: emails[2], name: emails[2] },
        ],
      });
      await stack.settle();
      const after = await stack.crmUser.get(crmId);
      expect(after.emails).toHaveLength(4);
      expect(after.emails[1]?.address).toBe(changed);
      expect([after.emails[0], after.emails[2], after.emails[3]]).toEqual([
        before.emails[0],
        before.emails[2],
        before.emails[3],
      ]);
      expect(after.phones).toEqual(before.phones);
      expect(after.notes).toBe(before.notes);
    });
  });
});
