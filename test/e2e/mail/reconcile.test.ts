import type { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../shared/adapters/graph/graph-client.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { newAccount, type TestAccount, tag } from '../sync/helpers.js';
import { emailsOf, person, receive } from './helpers.js';

/**
 * Issue 17 item 6, the mailbox side: what the delta rounds never told the product (a delta
 * page lost, a notification dropped and the deltaLink moved past the change anyway) is found
 * by the sweep's reconcile, which lists the synced folders and compares them with what the
 * product linked: mail that should be linked is linked, a mailbox copy that is gone takes only
 * that mailbox off the CRM e-mail (the e-mail stays), and the status and action log say so.
 *
 * The lost page is made by walking the folder's delta past the changes with the app's own
 * Graph client and saving that deltaLink into the account, as if the product had read a page
 * and lost what was on it.
 */
describe('issue 17: the reconcile compares the mailbox with what was linked', () => {
  let stack: TestStack;
  let agent: TestAccount;
  let client: { id: string; address: string };
  let graph: Client;

  beforeAll(async () => {
    stack = await startTestStack();
    agent = await newAccount(stack, 'abgleich');
    const address = `${tag('paula')}@kunde.example`;
    const created = await stack.crmUser.create({
      firstName: 'Paula',
      lastName: tag('Kundin'),
      emails: [{ address, type: null }],
    });
    client = { id: created.id, address };
    graph = createGraphClient({
      baseUrl: stack.graph.url,
      authorityHost: stack.graph.authorityHost,
      tenantId: stack.graph.tenantId,
      clientId: stack.graph.clientId,
      clientSecret: stack.graph.clientSecret,
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  /** The mailbox's messages as the emulator holds them (admin view: id, subject, folder). */
  async function mailboxMessages(): Promise<{ id: string; subject: string; parentFolderId: string }[]> {
    const response = await fetch(
      `${stack.graph.url}/_emulator/users/${encodeURIComponent(agent.mailbox)}/messages`,
    );
    return ((await response.json()) as { value: { id: string; subject: string; parentFolderId: string }[] })
      .value;
  }

  /** Walks every synced folder's delta to its end and saves that deltaLink: what changed since is "lost". */
  async function loseDeltaPages(): Promise<void> {
    const stored = await stack.runtime.deps.accounts.get(agent.id);
    const mail = stored?.value.mail;
    if (!stored || !mail) throw new Error('no mail state');
    const folders = { ...mail.folders };
    for (const [id, folder] of Object.entries(folders)) {
      let link: string | undefined = folder.deltaLink ?? undefined;
      let deltaLink: string | undefined;
      while (link && !deltaLink) {
        const page = (await graph.api(link).get()) as {
          '@odata.nextLink'?: string;
          '@odata.deltaLink'?: string;
        };
        link = page['@odata.nextLink'];
        deltaLink = page['@odata.deltaLink'];
      }
      if (!deltaLink) throw new Error(`no deltaLink for folder ${id}`);
      folders[id] = { ...folder, deltaLink };
    }
    await stack.runtime.deps.accounts.put({ ...stored.value, mail: { ...mail, folders } }, stored.etag);
  }

  it('links the mail a lost delta page held and takes a deleted copy off its e-mail, reporting both', async () => {
    await receive(stack, agent.mailbox, {
      from: person(client.address, 'Paula Kundin'),
      toRecipients: [person(agent.mailbox)],
      subject: 'Vor dem Verlust',
    });
    await stack.settle();
    const [before] = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Vor dem Verlust');
    expect(before?.mailboxes).toEqual([{ accountId: agent.id, folder: 'Inbox' }]);

    // Nothing tells the product of what follows: notifications dropped, delta pages "lost".
    await stack.graph.admin.fault({ kind: 'dropNotifications', count: 50 });
    await receive(stack, agent.mailbox, {
      from: person(client.address, 'Paula Kundin'),
      toRecipients: [person(agent.mailbox)],
      subject: 'Im verlorenen Delta',
    });
    const deleted = (await mailboxMessages()).find((m) => m.subject === 'Vor dem Verlust');
    expect(deleted).toBeDefined();
    await graph.api(`/users/${encodeURIComponent(agent.mailbox)}/messages/${deleted?.id}`).delete();
    await loseDeltaPages();
    await stack.runTimer('reconcile'); // the sweep: a full round, whose delta finds nothing new
    await stack.settle();

    const after = await emailsOf(stack, client.id);
    const found = after.filter((m) => m.subject === 'Im verlorenen Delta');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      direction: 'incoming',
      bodyText: 'Guten Tag',
      mailboxes: [{ accountId: agent.id, folder: 'Inbox' }],
      contactIds: [client.id],
    });
    const gone = after.filter((m) => m.subject === 'Vor dem Verlust');
    expect(gone).toHaveLength(1); // the CRM e-mail stays
    expect(gone[0]?.mailboxes).toEqual([]); // only this mailbox's entry went

    const status = (await stack.api('GET', `/api/accounts/${agent.id}`)).json as {
      mail: { reconciled: { mailbox: { listed: number; missing: number; gone: number } } };
    };
    expect(status.mail.reconciled.mailbox).toMatchObject({ missing: 1, gone: 1 });
    expect(status.mail.reconciled.mailbox.listed).toBeGreaterThanOrEqual(1);
    const log = await stack.runtime.deps.mirror.readLog(agent.id, `crm:${client.id}`);
    expect(log.map((e) => e.action)).toEqual(
      expect.arrayContaining(['mailLinkedByReconcile', 'mailCopyGone']),
    );

    // A second sweep finds nothing more to do.
    await stack.runTimer('reconcile');
    await stack.settle();
    const again = (await stack.api('GET', `/api/accounts/${agent.id}`)).json as {
      mail: { reconciled: { mailbox: { missing: number; gone: number } } };
    };
    expect(again.mail.reconciled.mailbox).toMatchObject({ missing: 0, gone: 0 });
    expect(
      (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Im verlorenen Delta'),
    ).toHaveLength(1);
  }, 60_000);
});
