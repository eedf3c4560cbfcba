import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  crmByLastName,
  disagreements,
  newAccount,
  outlookBySurname,
  reconcile,
  type TestAccount,
  tag,
} from './helpers.js';
import { poisonFor, regularId } from './outlook-actions.js';

/**
 * Issue 13, acting as an Outlook user: moves between folders, deletes to Deleted Items and
 * restores from there, and a deleted folder. Exchange gives a moved contact a new id unless the
 * caller asks for immutable ids (learn.microsoft.com/graph/outlook-immutable-id); a delete moves
 * the contact to Deleted Items, which is never synced, and may send no notification. Whatever
 * the user does, the CRM ends right: no duplicate, no lost tag, no deleted CRM contact.
 */
describe('issue 13: what an Outlook user does to synced contacts', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  /** An account with one Outlook-born contact, synced into the CRM (tagged for the account). */
  async function syncedOutlookContact(name: string) {
    const account = await newAccount(stack, name);
    const surname = tag('Mov');
    const created = await stack.outlook.createContact(account.mailbox, {
      givenName: 'Mona',
      surname,
      emailAddresses: [{ address: `${surname.toLowerCase()}@example.org`, name: 'Mona' }],
    });
    await stack.settle();
    const [crm] = crmByLastName(stack, surname);
    if (!crm) throw new Error('the Outlook contact did not reach the CRM');
    const [link] = await links(account);
    if (!link) throw new Error('no link after the first sync');
    return { account, surname, created, crm, link };
  }

  async function links(account: TestAccount) {
    const all = [];
    for await (const link of stack.runtime.deps.mirror.list(account.id)) all.push(link);
    return all;
  }

  async function expectOneTaggedCrmContact(account: TestAccount, lastName: string, crmId: string) {
    const inCrm = crmByLastName(stack, lastName);
    expect(inCrm.map((c) => c.id)).toEqual([crmId]);
    expect(inCrm[0]?.syncAccounts).toContain(account.id);
  }

  it('a contact moved into another folder stays one linked contact (immutable id)', async () => {
    const { account, surname, crm, link } = await syncedOutlookContact('move');
    const folder = await stack.outlook.createFolder(account.mailbox, tag('Kunden'));
    await stack.outlook.moveContact(account.mailbox, link.exchangeId, folder.id);
    await stack.settle();
    await reconcile(stack);

    expect(outlookBySurname(stack, account, surname)).toHaveLength(1);
    await expectOneTaggedCrmContact(account, surname, crm.id);
    const [after] = await links(account);
    // The adapter asks for immutable ids: the id survived the move, the link follows the folder.
    expect(after).toMatchObject({ crmId: crm.id, exchangeId: link.exchangeId, exchangeFolderId: folder.id });
    expect(await links(account)).toHaveLength(1);
    expect(await disagreements(stack, account)).toEqual([]);
  });

  it('a move gives the Outlook user a new id, and the sync still keeps one linked contact', async () => {
    const { account, surname, crm, link } = await syncedOutlookContact('move-reg');
    const defaultFolder = link.exchangeFolderId;
    const before = await regularId(stack, account.mailbox, defaultFolder, surname);
    if (!before) throw new Error('the Outlook user cannot see the contact');
    const folder = await stack.outlook.createFolder(account.mailbox, tag('Archiv'));
    // The user's client moves it by the id it knows (no immutable ids): Exchange answers a new one.
    const moved = await stack.outlook.moveContact(account.mailbox, before, folder.id);
    expect(moved.id).not.toBe(before);
    expect(await regularId(stack, account.mailbox, folder.id, surname)).toBe(moved.id);
    await stack.settle();
    await reconcile(stack);

    expect(outlookBySurname(stack, account, surname)).toHaveLength(1);
    await expectOneTaggedCrmContact(account, surname, crm.id);
    expect(await links(account)).toEqual([
      expect.objectContaining({ crmId: crm.id, exchangeId: link.exchangeId, exchangeFolderId: folder.id }),
    ]);
    // And back again: still the same pair.
    await stack.outlook.moveContact(account.mailbox, moved.id, 'contacts');
    await stack.settle();
    await reconcile(stack);
    await expectOneTaggedCrmContact(account, surname, crm.id);
    expect(await links(account)).toHaveLength(1);
    expect(await disagreements(stack, account)).toEqual([]);
  });

  it('a contact deleted in Outlook and restored from Deleted Items is one tagged CRM contact again', async () => {
    const { account, surname, crm, link } = await syncedOutlookContact('restore');
    await stack.outlook.deleteInOutlook(account.mailbox, link.exchangeId);
    await stack.settle();
    // Some deletes send no notification (soft deletes): the periodic delta round sees it.
    await reconcile(stack);
    // Rule 6 (exchangeDeleteAction 'unlink'): the CRM contact stays, only this account's tag goes.
    const unlinked = await stack.crmUser.get(crm.id);
    expect(unlinked).toMatchObject({ lastName: surname });
    expect(unlinked.syncAccounts).not.toContain(account.id);
    expect(await links(account)).toEqual([]);
    const inDeletedItems = (await stack.outlook.deletedItems(account.mailbox)).find(
      (c) => c['surname'] === surname,
    );
    if (!inDeletedItems) throw new Error('the deleted contact is not in Deleted Items');
    expect(outlookBySurname(stack, account, surname)).toEqual([]);

    await stack.outlook.restoreContact(account.mailbox, inDeletedItems.id);
    await stack.settle();
    await reconcile(stack);
    // Restored: back in the CRM as the same contact, tagged again; no second CRM contact.
    await expectOneTaggedCrmContact(account, surname, crm.id);
    expect(await links(account)).toHaveLength(1);
    expect(await disagreements(stack, account)).toEqual([]);
    expect(await poisonFor(stack, account.id)).toEqual([]);
  });

  it('a CRM-born contact deleted in Outlook is untagged, not deleted, in the CRM', async () => {
    const account = await newAccount(stack, 'crm-del');
    const lastName = tag('CrmDel');
    const crm = await stack.crmUser.create({ firstName: 'Carla', lastName, syncAccounts: [account.id] });
    await stack.settle();
    const [copy] = outlookBySurname(stack, account, lastName);
    if (!copy) throw new Error('the tagged CRM contact did not reach Outlook');
    await stack.outlook.deleteInOutlook(account.mailbox, copy.id);
    await stack.settle();
    await reconcile(stack);
    const after = await stack.crmUser.get(crm.id);
    expect(after.syncAccounts).not.toContain(account.id);
    expect(crmByLastName(stack, lastName)).toHaveLength(1);
    expect(await links(account)).toEqual([]);
  });

  it('a deleted contact folder unlinks its contacts, keeps them in the CRM, and the sync goes on', async () => {
    const account = await newAccount(stack, 'folder');
    const folder = await stack.outlook.createFolder(account.mailbox, tag('Projekt'));
    const inFolder = tag('InFolder');
    const outside = tag('Outside');
    await stack.outlook.createContact(account.mailbox, { givenName: 'Fritz', surname: inFolder }, folder.id);
    await stack.outlook.createContact(account.mailbox, { givenName: 'Otto', surname: outside });
    await stack.settle();
    await reconcile(stack);
    const [crmInFolder] = crmByLastName(stack, inFolder);
    if (!crmInFolder) throw new Error('the contact of the folder did not reach the CRM');
    expect(await links(account)).toHaveLength(2);

    await stack.outlook.deleteFolder(account.mailbox, folder.id);
    await stack.settle();
    await reconcile(stack);
    const kept = await stack.crmUser.get(crmInFolder.id);
    expect(kept).toMatchObject({ lastName: inFolder });
    expect(kept.syncAccounts).not.toContain(account.id);
    expect((await links(account)).map((l) => l.exchangeFolderId)).not.toContain(folder.id);
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(Object.keys(stored?.value.deltaLinks ?? {})).not.toContain(folder.id);
    expect(stored?.value.status.lastError ?? null).toBeNull();

    // The sync is not stuck on the folder that is gone: a later edit still arrives.
    const [crmOutside] = crmByLastName(stack, outside);
    const [outlookOutside] = outlookBySurname(stack, account, outside);
    if (!crmOutside || !outlookOutside) throw new Error('the other contact was not synced');
    await stack.outlook.updateContact(account.mailbox, outlookOutside.id, { jobTitle: 'Hausmeister' });
    await stack.settle();
    await reconcile(stack);
    expect((await stack.crmUser.get(crmOutside.id)).position).toBe('Hausmeister');
    expect(await disagreements(stack, account)).toEqual([]);
    expect(await poisonFor(stack, account.id)).toEqual([]);
  });
});
