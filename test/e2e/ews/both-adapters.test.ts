import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { crmByLastName, crmWrites, linkCount, type TestAccount, tag, total } from '../sync/helpers.js';
import { BOTH_SIDES_SETTINGS, ewsSide, graphSide, type OutlookSide } from './sides.js';

/**
 * Issue 18, Done-when: an on-premises account on the whole local stack (host, queues, Azurite,
 * CRM emulator, the EWS emulator over https with NTLM) syncs contacts both ways with the same
 * limits, keeps the overflow in the CRM, writes no echo and makes no duplicate, as a Microsoft
 * 365 account does. Each scenario runs against both adapters: the Graph account learns of
 * Outlook's changes by notification, the on-premises one by the polling timer. The on-premises
 * account is connected through the migrate API with host, user name and password (sides.ts).
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ settings: BOTH_SIDES_SETTINGS });
});
afterAll(() => stack?.stop());

describe.each([graphSide, ewsSide])('contacts both ways over $name', (side: OutlookSide) => {
  let account: TestAccount;

  beforeAll(async () => {
    account = await side.newAccount(stack, side === ewsSide ? 'onprem' : 'm365');
  });

  /** Runs a person's action on a quiet stack; the writes the product made afterwards, each side. */
  async function writesAfter(action: () => Promise<unknown>, own: { outlook?: number; crm?: number } = {}) {
    await side.sync(stack);
    side.clear(stack);
    stack.crm.admin.clearRequests();
    await action();
    await side.sync(stack);
    await side.sync(stack); // a late echo would come after a first quiet moment
    return {
      outlook: side.writes(stack) - (own.outlook ?? 0),
      crm: total(crmWrites(stack)) - (own.crm ?? 0),
    };
  }

  /** The user's own Outlook write goes through the Graph API (logged); the EWS admin API is not EWS. */
  const ownOutlookWrite = side === graphSide ? 1 : 0;

  it('an Outlook contact reaches the CRM once, tagged and linked, and nothing is written back', async () => {
    const surname = tag('Out');
    let id = '';
    const writes = await writesAfter(
      async () => {
        id = await side.create(stack, account, {
          givenName: 'Olga',
          surname,
          emails: [`${surname}@example.org`],
          businessPhones: ['+49 421 1234567'],
        });
      },
      { outlook: ownOutlookWrite },
    );
    const crm = crmByLastName(stack, surname);
    expect(crm).toHaveLength(1);
    expect(crm[0]).toMatchObject({ firstName: 'Olga', syncAccounts: [account.id] });
    expect(crm[0]?.emails.map((e) => e.address)).toEqual([`${surname}@example.org`]);
    expect(writes).toEqual({ outlook: 0, crm: 1 });
    expect(side.contacts(stack, account).filter((c) => c.surname === surname)).toHaveLength(1);
    expect(id).not.toBe('');
  });

  it('a tagged CRM contact reaches Outlook within its limits, the overflow stays in the CRM, no echo', async () => {
    const lastName = tag('Crm');
    const emails = ['a', 'b', 'c', 'd'].map((p) => ({ address: `${p}.${lastName}@example.org`, type: null }));
    const phones = ['0421 111111', '0421 222222', '0421 333333'].map((number) => ({
      number,
      type: 'business' as const,
    }));
    let crmId = '';
    const links = await linkCount(stack, account.id);
    const writes = await writesAfter(
      async () => {
        const created = await stack.crmUser.create({
          firstName: 'Clara',
          lastName,
          emails,
          phones,
          notes: 'Nur vormittags anrufen',
          syncAccounts: [account.id],
        });
        crmId = created.id;
      },
      { crm: 1 },
    );
    const copies = side.contacts(stack, account).filter((c) => c.surname === lastName);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.emails).toEqual(emails.slice(0, 3).map((e) => e.address));
    expect(copies[0]?.businessPhones).toHaveLength(2);
    expect(copies[0]?.hasBody).toBe(false); // the notes never reach Exchange
    const kept = await stack.crmUser.get(crmId);
    expect(kept.emails).toHaveLength(4);
    expect(kept.phones).toHaveLength(3);
    expect(kept.notes).toBe('Nur vormittags anrufen');
    expect(writes).toEqual({ outlook: 1, crm: 0 });
    expect(await linkCount(stack, account.id)).toBe(links + 1);
  });

  it('an Outlook edit reaches the CRM and a CRM edit reaches Outlook, one write each, none back', async () => {
    const surname = tag('Edit');
    const id = await side.create(stack, account, { givenName: 'Eva', surname });
    await side.sync(stack);
    const toCrm = await writesAfter(() => side.editJobTitle(stack, account, id, 'Maklerin'), {
      outlook: ownOutlookWrite,
    });
    const [crm] = crmByLastName(stack, surname);
    expect(crm?.position).toBe('Maklerin');
    expect(toCrm).toEqual({ outlook: 0, crm: 1 });
    const toOutlook = await writesAfter(
      () => stack.crmUser.update(crm?.id ?? '', { position: 'Geschäftsführerin' }),
      {
        crm: 1,
      },
    );
    expect(side.contacts(stack, account).find((c) => c.surname === surname)?.jobTitle).toBe(
      'Geschäftsführerin',
    );
    expect(toOutlook).toEqual({ outlook: 1, crm: 0 });
    expect(crmByLastName(stack, surname)).toHaveLength(1);
    expect(side.contacts(stack, account).filter((c) => c.surname === surname)).toHaveLength(1);
  });

  it('an Outlook delete unlinks the CRM contact without deleting it', async () => {
    const surname = tag('Del');
    const id = await side.create(stack, account, { givenName: 'Doris', surname });
    await side.sync(stack);
    const [crm] = crmByLastName(stack, surname);
    expect(crm).toBeDefined();
    await side.remove(stack, account, id);
    await side.sync(stack);
    const after = await stack.crmUser.get(crm?.id ?? '');
    expect(after).toMatchObject({ firstName: 'Doris', lastName: surname, syncAccounts: [] });
    expect(await stack.runtime.deps.mirror.getByCrmId(account.id, crm?.id ?? '')).toBeNull();
  });
});

describe('an on-premises account', () => {
  it('connected through the migrate API, has no subscription, and the renewal timer makes none for it', async () => {
    const account = await ewsSide.newAccount(stack, 'nosub');
    await stack.runTimer('subscriptionRenewal');
    await stack.settle();
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(stored?.value).toMatchObject({ provider: 'onPremises', syncVersion: 'v3' });
    expect(stored?.value.onPremises?.ewsUrl).toBe(stack.ews.ewsUrl);
    expect(stored?.value.subscription).toBeNull();
    expect(stored?.value.status.lastError).toBeNull();
    expect(stored?.value.status.lastSyncAt).not.toBeNull();
  });
});
