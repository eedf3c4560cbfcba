import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_TENANT_ID } from '../../../local/emulators/graph/index.js';
import { userToken } from '../../../local/stack-identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { BOTH_SIDES_SETTINGS, ewsSide, graphSide, type OutlookSide } from '../ews/sides.js';
import { person, receive } from '../mail/helpers.js';
import { crmByLastName, linkCount, type TestAccount, tag } from '../sync/helpers.js';

/**
 * Removing an account on the whole stack (issue 18 item 5), for a Microsoft 365 account (Graph)
 * and an on-premises one (EWS): DELETE answers 202 and the removal task runs on the queue; then
 * the account, its subscriptions, secret, links, mail state and action log are gone, while every
 * contact stays in Outlook and in the CRM, and the sync has stopped. Another tenant's caller
 * cannot remove it: 404, as for an account that does not exist.
 */
let stack: TestStack;
let stranger = '';

beforeAll(async () => {
  stack = await startTestStack({ settings: BOTH_SIDES_SETTINGS });
  const bea = {
    id: 'bea-0000-4000-8000-00000000a003',
    mail: 'bea@fabrikam.example',
    password: 'Bea-Pass-00001',
  };
  stack.graph.admin.createMailbox({ ...bea, tenantId: SECOND_TENANT_ID });
  stranger = (await userToken(stack.graph, bea.mail, bea.password)).token;
}, 60_000);
afterAll(() => stack?.stop());

describe.each([graphSide, ewsSide])('removing an account over $name', (side: OutlookSide) => {
  let account: TestAccount;
  let outlookId = '';
  let crmId = '';
  let surname = '';
  let lastName = '';

  beforeAll(async () => {
    account = await side.newAccount(stack, side === ewsSide ? 'wegews' : 'weg');
    surname = tag('Olga');
    lastName = tag('Clara');
    outlookId = await side.create(stack, account, { givenName: 'Olga', surname });
    crmId = (await stack.crmUser.create({ firstName: 'Clara', lastName, syncAccounts: [account.id] })).id;
    await side.sync(stack);
    if (side === graphSide) {
      // Mail from a CRM contact: the mail sync links it (the account's mail state).
      const address = `${tag('klara')}@kunde.example`;
      await stack.crmUser.create({
        firstName: 'Klara',
        lastName: tag('Kundin'),
        emails: [{ address, type: null }],
      });
      await receive(stack, account.mailbox, {
        from: person(address, 'Klara Kundin'),
        toRecipients: [person(account.mailbox, 'Max Makler')],
        subject: 'Besichtigung?',
        body: { contentType: 'text', content: 'Passt Freitag?' },
      });
      await stack.settle();
    }
  }, 60_000);

  it('is a 404 for a caller of another tenant, and nothing changes', async () => {
    const answer = await stack.api('DELETE', `/api/accounts/${account.id}`, undefined, {
      as: { token: stranger },
    });
    expect(answer.status, answer.text).toBe(404);
    expect(answer.json).toMatchObject({ error: { code: 'AccountNotFound' } });
    const stored = await stack.runtime.deps.accounts.get(account.id);
    expect(stored?.value.removal ?? null).toBeNull();
  });

  it('answers 202 with the account removing; the queue then removes what the product kept, and only that', async () => {
    const stored = await stack.runtime.deps.accounts.get(account.id);
    if (!stored) throw new Error('no account');
    const secretName = stored.value.onPremises?.secretName ?? null;
    const subscriptionId = stored.value.subscription?.id ?? null;
    const mailSubscriptionId = stored.value.mail?.subscription?.id ?? null;
    expect(await linkCount(stack, account.id)).toBe(2);
    const crmKey = `crm:${crmId}`;
    expect((await stack.runtime.deps.mirror.readLog(account.id, crmKey)).length).toBeGreaterThan(0);
    if (side === ewsSide) {
      expect(secretName).not.toBeNull();
      expect(await stack.runtime.deps.secrets.get(secretName ?? '')).not.toBeNull();
    } else {
      expect(subscriptionId).not.toBeNull();
      expect(mailSubscriptionId).not.toBeNull();
      expect((await stack.runtime.mail.mailStore.knownCopies(account.id)).size).toBeGreaterThan(0);
    }

    const answer = await stack.api('DELETE', `/api/accounts/${account.id}`);
    expect(answer.status, answer.text).toBe(202);
    expect(answer.json).toMatchObject({ id: account.id, removal: { state: 'removing' } });
    await stack.settle();

    expect((await stack.api('GET', `/api/accounts/${account.id}`)).status).toBe(404);
    expect((await stack.api('DELETE', `/api/accounts/${account.id}`)).status).toBe(404);
    expect(await stack.runtime.deps.accounts.get(account.id)).toBeNull();
    expect(await linkCount(stack, account.id)).toBe(0);
    expect(await stack.runtime.deps.mirror.readLog(account.id, crmKey)).toEqual([]);
    expect((await stack.runtime.mail.mailStore.knownCopies(account.id)).size).toBe(0);
    if (secretName) expect(await stack.runtime.deps.secrets.get(secretName)).toBeNull();
    const inGraph = stack.graph.admin.subscriptions().map((s) => s.id);
    for (const id of [subscriptionId, mailSubscriptionId]) if (id) expect(inGraph).not.toContain(id);

    // Nothing in Outlook or the CRM was deleted.
    expect(side.contacts(stack, account).map((c) => c.id)).toContain(outlookId);
    expect(side.contacts(stack, account).filter((c) => c.surname === lastName)).toHaveLength(1);
    expect(crmByLastName(stack, surname)).toHaveLength(1);
    expect((await stack.crmUser.get(crmId)).lastName).toBe(lastName);
  });

  it('leaves no sync behind: a new Outlook contact no longer reaches the CRM', async () => {
    const later = tag('Spaet');
    await side.create(stack, account, { givenName: 'Sven', surname: later });
    await stack.runTimer('ewsPoll');
    await side.sync(stack);
    expect(crmByLastName(stack, later)).toEqual([]);
  });
});

describe('an account being removed', () => {
  it('refuses to be migrated or to decide held deletes (409 AccountBeingRemoved); its removal then finishes', async () => {
    const account = await graphSide.newAccount(stack, 'halt');
    // A worker busy with the account holds its lease: the removal task waits meanwhile.
    let lease = await stack.runtime.deps.lease.acquire(`account:${account.id}`, 60_000);
    while (!lease) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      lease = await stack.runtime.deps.lease.acquire(`account:${account.id}`, 60_000);
    }
    try {
      expect((await stack.api('DELETE', `/api/accounts/${account.id}`)).status).toBe(202);
      const again = await stack.api('DELETE', `/api/accounts/${account.id}`);
      expect(again.status).toBe(202);
      expect(again.json).toMatchObject({ removal: { state: 'removing', step: 'subscriptions' } });
      for (const path of ['migrate', 'confirm-deletes', 'reject-deletes']) {
        const answer = await stack.api('POST', `/api/accounts/${account.id}/${path}`, {});
        expect(answer.status, `${path}: ${answer.text}`).toBe(409);
        expect(answer.json).toMatchObject({ error: { code: 'AccountBeingRemoved' } });
      }
    } finally {
      await lease.release();
    }
    await stack.settle();
    expect(await stack.runtime.deps.accounts.get(account.id)).toBeNull();
  });
});
