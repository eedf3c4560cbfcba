import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  crmByLastName,
  disagreements,
  linkCount,
  newAccount,
  outlookBySurname,
  reconcile,
  tag,
} from './helpers.js';
import { accountStatus, poisonFor } from './outlook-actions.js';

/**
 * Issue 13 item 2: a mailbox Graph cannot read right now (unlicensed or being migrated: 404
 * MailboxNotEnabledForRESTAPI; the user gone from the directory for a while: 404
 * ResourceNotFound; an application access policy: 403 ErrorAccessDenied) is not an empty
 * mailbox. Nothing is deleted, unlinked or untagged; the account says what is wrong in plain
 * words; no message is dead-lettered; the sync resumes by itself once the mailbox is back.
 */
describe('issue 13: an unavailable mailbox is not an empty mailbox', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it.each(['MailboxNotEnabledForRESTAPI', 'ResourceNotFound', 'ErrorAccessDenied'] as const)(
    '%s: nothing is lost while it lasts, and the sync resumes after',
    async (as) => {
      const account = await newAccount(stack, `gone-${as.slice(0, 6).toLowerCase()}`);
      const fromOutlook = tag('Olli');
      const fromCrm = tag('Cora');
      await stack.outlook.createContact(account.mailbox, { givenName: 'Olli', surname: fromOutlook });
      const crm = await stack.crmUser.create({
        firstName: 'Cora',
        lastName: fromCrm,
        syncAccounts: [account.id],
      });
      await stack.settle();
      const [outlookInCrm] = crmByLastName(stack, fromOutlook);
      const [crmInOutlook] = outlookBySurname(stack, account, fromCrm);
      if (!outlookInCrm || !crmInOutlook)
        throw new Error('the pair did not sync before the mailbox went away');
      const linked = await linkCount(stack, account.id);
      expect(linked).toBe(2);

      await stack.graph.admin.fault({ kind: 'mailboxUnavailable', mailbox: account.mailbox, as });
      // The CRM user goes on working meanwhile; reconcile runs (twice, as the timer would).
      await stack.crmUser.update(crm.id, { company: 'Während GmbH' });
      const later = tag('Neu');
      await stack.crmUser.create({ firstName: 'Nele', lastName: later, syncAccounts: [account.id] });
      await stack.settle();
      await reconcile(stack);
      await reconcile(stack);

      // Nothing deleted, unlinked or untagged anywhere.
      expect(await linkCount(stack, account.id)).toBe(linked);
      expect((await stack.crmUser.get(outlookInCrm.id)).syncAccounts).toContain(account.id);
      expect((await stack.crmUser.get(crm.id)).syncAccounts).toContain(account.id);
      expect(outlookBySurname(stack, account, fromCrm)).toHaveLength(1);
      expect(outlookBySurname(stack, account, fromOutlook)).toHaveLength(1);
      // No retry storm ending in the dead-letter queue.
      expect(await poisonFor(stack, account.id)).toEqual([]);
      // The account says so, in plain words.
      const during = await accountStatus(stack, account.id);
      expect(during.sync.mailbox).toMatchObject({ state: 'unavailable', code: as });
      expect(String(during.sync.mailbox?.['message'])).toMatch(/cannot be read/i);
      expect(String(during.sync.mailbox?.['message'])).toMatch(/nothing (was|is) deleted/i);

      await stack.graph.admin.fault({ kind: 'mailboxAvailable', mailbox: account.mailbox });
      await reconcile(stack);

      const after = await accountStatus(stack, account.id);
      expect(after.sync.mailbox ?? null).toBeNull();
      expect(after.sync.lastError ?? null).toBeNull();
      // What the CRM user did meanwhile arrived, once.
      expect(outlookBySurname(stack, account, fromCrm)[0]?.companyName).toBe('Während GmbH');
      expect(outlookBySurname(stack, account, later)).toHaveLength(1);
      expect(await disagreements(stack, account)).toEqual([]);
      expect(await poisonFor(stack, account.id)).toEqual([]);
    },
  );

  it('a change notified after the mailbox is back resumes the sync without waiting for reconcile', async () => {
    const account = await newAccount(stack, 'gone-hint');
    const surname = tag('Hint');
    const outlook = await stack.outlook.createContact(account.mailbox, { givenName: 'Hanna', surname });
    await stack.settle();
    const [inCrm] = crmByLastName(stack, surname);
    if (!inCrm) throw new Error('the contact did not reach the CRM');

    await stack.graph.admin.fault({
      kind: 'mailboxUnavailable',
      mailbox: account.mailbox,
      as: 'MailboxNotEnabledForRESTAPI',
    });
    await reconcile(stack);
    expect((await accountStatus(stack, account.id)).sync.mailbox).toMatchObject({ state: 'unavailable' });

    await stack.graph.admin.fault({ kind: 'mailboxAvailable', mailbox: account.mailbox });
    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Zurück' });
    await stack.settle();
    expect((await stack.crmUser.get(inCrm.id)).position).toBe('Zurück');
    expect((await accountStatus(stack, account.id)).sync.mailbox ?? null).toBeNull();
    expect(await poisonFor(stack, account.id)).toEqual([]);
  });

  it('a mailbox unavailable at registration connects by itself once it is back', async () => {
    const mailbox = `${tag('late')}@contoso.example`;
    stack.graph.admin.createMailbox({ mail: mailbox });
    const surname = tag('Spät');
    await stack.outlook.createContact(mailbox, { givenName: 'Sina', surname });
    await stack.graph.admin.fault({ kind: 'mailboxUnavailable', mailbox, as: 'MailboxNotEnabledForRESTAPI' });
    const account = await stack.registerAccount({
      email: mailbox,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });
    expect((await accountStatus(stack, account.id)).sync.mailbox).toMatchObject({ state: 'unavailable' });
    expect(await poisonFor(stack, account.id)).toEqual([]);

    await stack.graph.admin.fault({ kind: 'mailboxAvailable', mailbox });
    await reconcile(stack);
    expect(crmByLastName(stack, surname)).toHaveLength(1);
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(stored?.value.subscription).not.toBeNull();
    expect((await accountStatus(stack, account.id)).sync.mailbox ?? null).toBeNull();
  });
});
