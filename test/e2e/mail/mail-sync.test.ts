import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { newAccount, type TestAccount, tag } from '../sync/helpers.js';
import { emailsOf, person, receive, sendMail } from './helpers.js';

/**
 * Issue 17 on the whole stack: mail reaches the client's CRM record through change
 * notifications on the mailbox's messages (and the sweep when they are lost), once per
 * message, with direction, participants and body; what is excluded stays out.
 */
describe('issue 17: e-mail sync end to end', () => {
  let stack: TestStack;
  let agent: TestAccount;
  let client: { id: string; address: string };

  beforeAll(async () => {
    stack = await startTestStack();
    agent = await newAccount(stack, 'makler');
    const address = `${tag('klara')}@kunde.example`;
    const created = await stack.crmUser.create({
      firstName: 'Klara',
      lastName: tag('Kundin'),
      emails: [{ address, type: null }],
    });
    client = { id: created.id, address };
  }, 60_000);
  afterAll(() => stack?.stop());

  it('shows the mail stage in the account status: live after the (empty) first import', async () => {
    const response = await stack.api('GET', `/api/accounts/${agent.id}`);
    expect(response.status).toBe(200);
    expect((response.json as { mail: unknown }).mail).toMatchObject({
      stage: 'live',
      lastError: null,
      folders: expect.arrayContaining([
        { name: 'Inbox', imported: true },
        { name: 'Sent Items', imported: true },
      ]),
    });
  });

  it("puts a client's mail to the agent and the agent's reply on the client's record once each, with direction, participants and body", async () => {
    await receive(stack, agent.mailbox, {
      from: person(client.address, 'Klara Kundin'),
      toRecipients: [person(agent.mailbox, 'Max Makler')],
      subject: 'Besichtigung am Freitag?',
      body: { contentType: 'text', content: 'Hallo Herr Makler, passt Freitag um 10 Uhr?' },
    });
    await stack.settle();
    await sendMail(stack, agent.mailbox, {
      subject: 'AW: Besichtigung am Freitag?',
      body: { contentType: 'html', content: '<p>Gerne, bis <b>Freitag</b>.</p>' },
      toRecipients: [person(client.address, 'Klara Kundin')],
    });
    await stack.settle();

    const mails = await emailsOf(stack, client.id);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'AW: Besichtigung am Freitag?',
      'Besichtigung am Freitag?',
    ]);
    const incoming = mails.find((m) => m.subject === 'Besichtigung am Freitag?');
    expect(incoming).toMatchObject({
      direction: 'incoming',
      bodyText: 'Hallo Herr Makler, passt Freitag um 10 Uhr?',
      contactIds: [client.id],
      mailboxes: [{ accountId: agent.id, folder: 'Inbox' }],
      visibility: 'full',
    });
    expect(incoming?.participants).toEqual([
      { role: 'from', address: client.address, name: 'Klara Kundin', contactId: client.id },
      { role: 'to', address: agent.mailbox, name: 'Max Makler', contactId: null },
    ]);
    const reply = mails.find((m) => m.subject === 'AW: Besichtigung am Freitag?');
    expect(reply).toMatchObject({
      direction: 'outgoing',
      bodyText: expect.stringContaining('Gerne, bis Freitag.'),
      mailboxes: [{ accountId: agent.id, folder: 'Sent Items' }],
    });
    expect(reply?.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'from', address: agent.mailbox, contactId: null }),
        expect.objectContaining({ role: 'to', address: client.address, contactId: client.id }),
      ]),
    );
  });

  it('keeps a newsletter, an internal mail and a mail categorised private out of the CRM', async () => {
    const colleague = `${tag('kollege')}@contoso.example`;
    // A colleague who is also a CRM contact: a mail among the tenant's own addresses stays out.
    const internal = await stack.crmUser.create({
      firstName: 'Kai',
      lastName: tag('Kollege'),
      emails: [{ address: colleague, type: null }],
    });
    const before = (await emailsOf(stack, client.id)).length;
    await receive(stack, agent.mailbox, {
      from: person(client.address),
      subject: 'Unser Newsletter',
      internetMessageHeaders: [{ name: 'List-Unsubscribe', value: '<mailto:unsubscribe@kunde.example>' }],
    });
    await receive(stack, agent.mailbox, { from: person(colleague), subject: 'Mittagessen?' });
    await receive(stack, agent.mailbox, {
      from: person(client.address),
      subject: 'Unter uns',
      categories: ['Privat'],
    });
    await stack.settle();
    expect(await emailsOf(stack, client.id)).toHaveLength(before);
    expect(await emailsOf(stack, internal.id)).toEqual([]);
    const status = (await stack.api('GET', `/api/accounts/${agent.id}`)).json as {
      mail: { counts: { skipped: Record<string, number> } };
    };
    expect(status.mail.counts.skipped).toMatchObject({
      bulk: expect.any(Number),
      internal: expect.any(Number),
      privateCategory: expect.any(Number),
    });
  });

  it("shows a mail between two of the tenant's agents that involves a client once, listing both mailboxes", async () => {
    const second = await newAccount(stack, 'kollegin');
    await sendMail(stack, agent.mailbox, {
      subject: 'Übergabe Kundin Klara',
      body: { contentType: 'text', content: 'Bitte übernimm die Besichtigung.' },
      toRecipients: [person(second.mailbox)],
      ccRecipients: [person(client.address)],
    });
    await stack.settle();
    const handover = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Übergabe Kundin Klara');
    expect(handover).toHaveLength(1);
    expect(handover[0]?.mailboxes).toEqual(
      [
        { accountId: agent.id, folder: 'Sent Items' },
        { accountId: second.id, folder: 'Inbox' },
      ].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    );
    expect(handover[0]?.direction).toBe('outgoing');
  });

  it('links the earlier mail of a contact who gains an address, from the window the product kept', async () => {
    const address = `${tag('nina')}@interessent.example`;
    const nina = await stack.crmUser.create({
      firstName: 'Nina',
      lastName: tag('Interessentin'),
      emails: [{ address: `${tag('alt')}@interessent.example`, type: null }],
    });
    await receive(stack, agent.mailbox, {
      from: person(address, 'Nina'),
      subject: 'Frage zum Exposé',
      body: { contentType: 'text', content: 'Ist die Wohnung noch frei?' },
    });
    await stack.settle();
    expect(await emailsOf(stack, nina.id)).toEqual([]); // her new address was not in the CRM yet

    const current = await stack.crmUser.get(nina.id);
    await stack.crmUser.update(nina.id, { emails: [...current.emails, { address, type: null }] });
    await stack.runTimer('reconcile');
    await stack.settle();
    const mails = await emailsOf(stack, nina.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      subject: 'Frage zum Exposé',
      direction: 'incoming',
      bodyText: 'Ist die Wohnung noch frei?',
      contactIds: [nina.id],
      mailboxes: [{ accountId: agent.id, folder: 'Inbox' }],
    });
  });

  it('puts back an e-mail the CRM lost, with the sweep, and reports it in the status', async () => {
    const [lost] = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Besichtigung am Freitag?');
    expect(lost).toBeDefined();
    const removed = await fetch(`${stack.crm.url}/_emulator/emails/${lost?.key}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await emailsOf(stack, client.id)).some((m) => m.key === lost?.key)).toBe(false);
    await stack.runTimer('reconcile');
    await stack.settle();
    expect((await emailsOf(stack, client.id)).find((m) => m.key === lost?.key)).toEqual(lost);
    const status = (await stack.api('GET', `/api/accounts/${agent.id}`)).json as {
      mail: { reconciled: { checked: number; repaired: number } };
    };
    expect(status.mail.reconciled.repaired).toBeGreaterThanOrEqual(1);
    expect(status.mail.reconciled.checked).toBeGreaterThanOrEqual(3);
  });

  it('makes a new message subscription when Graph removed it (lifecycle event), and mail flows by notification again', async () => {
    const before = (await stack.runtime.deps.accounts.get(agent.id))?.value.mail?.subscription;
    expect(before).toBeTruthy();
    await stack.graph.admin.fault({ kind: 'lifecycle', id: before?.id ?? '', event: 'subscriptionRemoved' });
    await stack.settle();
    const after = (await stack.runtime.deps.accounts.get(agent.id))?.value.mail?.subscription;
    expect(after?.id).toBeTruthy();
    expect(after?.id).not.toBe(before?.id);
    expect(stack.graph.admin.subscriptions().map((s) => s.id)).toContain(after?.id);
    await receive(stack, agent.mailbox, { from: person(client.address), subject: 'Nach dem Neuanlegen' });
    await stack.settle();
    expect(
      (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Nach dem Neuanlegen'),
    ).toHaveLength(1);
  });

  it('catches mail whose notifications were dropped with the periodic sweep', async () => {
    await stack.graph.admin.fault({ kind: 'dropNotifications', count: 20 });
    await receive(stack, agent.mailbox, { from: person(client.address), subject: 'Verloren gegangen?' });
    await stack.settle();
    const lost = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Verloren gegangen?');
    expect(lost).toEqual([]); // nothing told the product about it
    await stack.runTimer('reconcile');
    await stack.settle();
    const found = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Verloren gegangen?');
    expect(found).toHaveLength(1);
  });
});
