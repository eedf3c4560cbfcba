import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { crmByLastName, newAccount, outlookBySurname, type TestAccount, tag } from './helpers.js';

/**
 * Issue 13 item 3: a birthday is a calendar date. Outlook stores the one a person enters as
 * local midnight of the mailbox's time zone, in UTC (1 May 1980 in Berlin is
 * 1980-04-30T22:00:00Z); the sync must read it in that zone and write CRM dates so Outlook
 * shows the same date, in winter (CET, UTC+1) and in summer (CEST, UTC+2).
 */
describe('issue 13: birthdays entered in Berlin', () => {
  let stack: TestStack;
  let account: TestAccount;

  beforeAll(async () => {
    stack = await startTestStack();
    account = await newAccount(stack, 'bday');
  });
  afterAll(() => stack?.stop());

  /** The calendar date a Berlin Outlook shows for a stored birthday. */
  const inBerlin = (stored: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(stored));

  it.each([
    ['January (CET)', '1980-01-15'],
    ['July (CEST)', '1980-07-01'],
    ['the first of a month in summer', '1980-05-01'],
  ])('entered in Outlook in %s arrives in the CRM as the same date', async (_when, date) => {
    const surname = tag('Geb');
    const created = await stack.outlook.createInOutlook(account.mailbox, { givenName: 'Greta', surname });
    await stack.outlook.setBirthday(account.mailbox, created.id, date);
    // What Outlook stored is local midnight, not the date at UTC midnight.
    const stored = String((await stack.outlook.getContact(account.mailbox, created.id))['birthday']);
    expect(inBerlin(stored)).toBe(date);
    expect(stored.startsWith(date)).toBe(false);
    await stack.settle();
    const [inCrm] = crmByLastName(stack, surname);
    expect(inCrm?.birthday).toBe(date);
  });

  it.each([
    ['January', '1974-01-22'],
    ['July', '1974-07-22'],
  ])(
    'set in the CRM in %s shows as the same date in Outlook, and does not come back changed',
    async (_when, date) => {
      const lastName = tag('CrmGeb');
      const crm = await stack.crmUser.create({
        firstName: 'Carlo',
        lastName,
        birthday: date,
        syncAccounts: [account.id],
      });
      await stack.settle();
      const [copy] = outlookBySurname(stack, account, lastName);
      if (!copy) throw new Error('the tagged CRM contact did not reach Outlook');
      expect(copy.birthday).not.toBeNull();
      expect(inBerlin(String(copy.birthday))).toBe(date);
      // The round trip through Outlook leaves the CRM date as it was.
      expect((await stack.crmUser.get(crm.id)).birthday).toBe(date);
    },
  );

  it('a birthday edited in Outlook on a CRM-born contact arrives as the date the user chose', async () => {
    const lastName = tag('Umzug');
    const crm = await stack.crmUser.create({
      firstName: 'Berta',
      lastName,
      birthday: '1990-03-10',
      syncAccounts: [account.id],
    });
    await stack.settle();
    const [copy] = outlookBySurname(stack, account, lastName);
    if (!copy) throw new Error('the tagged CRM contact did not reach Outlook');
    await stack.outlook.setBirthday(account.mailbox, copy.id, '1990-08-01');
    await stack.settle();
    expect((await stack.crmUser.get(crm.id)).birthday).toBe('1990-08-01');
  });
});
