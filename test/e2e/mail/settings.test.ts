import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_TENANT_ID } from '../../../local/emulators/graph/index.js';
import { userToken } from '../../../local/stack-identity.js';
import { createGraphClient } from '../../../shared/adapters/graph/graph-client.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { newAccount, type TestAccount, tag } from '../sync/helpers.js';
import { emailsOf, person, receive } from './helpers.js';

/**
 * Issue 17 items 1 and 2 through the API on the whole stack: each account's mail settings
 * (folders, first-import window, the exclusions, its blocklist, visibility) and the tenant's
 * blocklist are read and changed by the people the README's table names, validated, audited,
 * shown in the account status, and the next mail round follows them.
 */
const DEFAULTS = {
  folders: 'inboxAndSent',
  windowDays: 90,
  excludeInternal: true,
  excludeNoReply: true,
  excludeBulk: true,
  excludeCalendar: true,
  privateCategory: 'Privat',
  blocklist: [],
  internalDomains: [],
  visibility: 'full',
  tenantBlocklist: [],
};
const DAY = 86_400_000;

describe('issue 17: mail settings per account and per tenant', () => {
  let stack: TestStack;
  /** The demo agent's own account (the agent token's mailbox). */
  let own: TestAccount;
  let client: { id: string; address: string };

  const settingsOf = async (id: string, as: 'agent' | 'admin' = 'agent') =>
    stack.api('GET', `/api/accounts/${id}/mail-settings`, undefined, { as });
  const patch = (id: string, body: unknown, as: 'agent' | 'admin' | { token: string } = 'agent') =>
    stack.api('PATCH', `/api/accounts/${id}/mail-settings`, body, { as });
  const subjects = async (contactId: string) => (await emailsOf(stack, contactId)).map((m) => m.subject);
  const newClient = async (domain: string) => {
    const address = `${tag('kundin')}@${domain}`;
    const created = await stack.crmUser.create({
      firstName: 'Klara',
      lastName: tag('Kundin'),
      emails: [{ address, type: null }],
    });
    return { id: created.id, address };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const mailbox = stack.users.agent.mail;
    const registered = await stack.api(
      'POST',
      '/api/accounts',
      { email: mailbox, syncVersion: 'v3', provider: 'microsoft365' },
      { as: 'agent' },
    );
    expect(registered.status, registered.text).toBe(201);
    own = { id: (registered.json as { id: string }).id, mailbox };
    await stack.settle();
    client = await newClient('kunde.example');
  }, 60_000);
  afterAll(() => stack?.stop());

  it('shows the defaults in the settings route and in the account status', async () => {
    const answer = await settingsOf(own.id);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual(DEFAULTS);
    const status = await stack.api('GET', `/api/accounts/${own.id}`, undefined, { as: 'agent' });
    expect((status.json as { mailSettings: unknown }).mailSettings).toEqual(DEFAULTS);
  });

  it('refuses a body that does not match, with a JSON error, and changes nothing', async () => {
    for (const body of [
      { windowDays: 0 },
      { windowDays: 12.5 },
      { folders: 'junk' },
      { blocklist: ['kein eintrag'] },
      { visibility: 'everything' },
      { excludeBulk: 'yes' },
      { somethingElse: true },
      '{"windowDays":',
      [],
    ]) {
      const answer = await patch(own.id, body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect((answer.json as { error: { code: string } }).error.code).toMatch(/InvalidBody|MalformedJson/);
    }
    expect((await stack.api('PATCH', `/api/accounts/${own.id}/mail-settings`, {}, { as: null })).status).toBe(
      401,
    );
    expect((await settingsOf(own.id)).json).toEqual(DEFAULTS);
  });

  it("lets the agent change their own account's exclusions, blocklist and visibility, and the next mail follows them", async () => {
    const answer = await patch(own.id, {
      privateCategory: 'Vertraulich',
      blocklist: ['@gesperrt.example', 'Sperre@Kunde.example', '@gesperrt.example'],
      visibility: 'subject',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({
      ...DEFAULTS,
      privateCategory: 'Vertraulich',
      // Lower-cased and each once.
      blocklist: ['@gesperrt.example', 'sperre@kunde.example'],
      visibility: 'subject',
    });
    await receive(stack, own.mailbox, {
      from: person(client.address),
      subject: 'Privat, aber jetzt erlaubt',
      categories: ['Privat'],
    });
    await receive(stack, own.mailbox, {
      from: person(client.address),
      subject: 'Vertraulich',
      categories: ['Vertraulich'],
    });
    await receive(stack, own.mailbox, {
      from: person(client.address),
      subject: 'Mit gesperrter Adresse',
      ccRecipients: [person('sperre@kunde.example')],
    });
    await receive(stack, own.mailbox, {
      from: person(client.address),
      subject: 'Mit gesperrter Domain',
      ccRecipients: [person('jemand@gesperrt.example')],
    });
    await stack.settle();
    const mails = await emailsOf(stack, client.id);
    expect(mails.map((m) => m.subject)).toEqual(['Privat, aber jetzt erlaubt']);
    // Visibility "subject": the subject, no body.
    expect(mails[0]).toMatchObject({ visibility: 'subject', bodyText: null });
    const status = (await stack.api('GET', `/api/accounts/${own.id}`, undefined, { as: 'agent' })).json as {
      mail: { counts: { skipped: Record<string, number> } };
    };
    expect(status.mail.counts.skipped).toMatchObject({ privateCategory: 1, blocked: 2 });

    const audit = (await stack.api('GET', '/api/audit?limit=50')).json as {
      items: { action: string; accountId: string; outcome: string; detail?: string; actorKind: string }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'mailSettings',
        accountId: own.id,
        outcome: 'ok',
        actorKind: 'agent',
        detail: 'privateCategory,blocklist,visibility',
      }),
    );
    // Back to the defaults for the tests below.
    expect(
      (await patch(own.id, { privateCategory: 'Privat', blocklist: [], visibility: 'full' })).status,
    ).toBe(200);
  });

  it("keeps other accounts, and another tenant's, out of reach: 404 as for a missing one", async () => {
    const colleague = await newAccount(stack, 'kollegin');
    const missing = await patch('00000000-0000-4000-8000-000000000000', { windowDays: 30 });
    expect(missing.status).toBe(404);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { windowDays: 30 }],
    ] as const) {
      const answer = await stack.api(method, `/api/accounts/${colleague.id}/mail-settings`, body, {
        as: 'agent',
      });
      expect(answer.status).toBe(404);
      expect(answer.text).toBe(missing.text);
    }
    // The tenant administrator may change any account of the tenant.
    expect((await patch(colleague.id, { excludeCalendar: false }, 'admin')).status).toBe(200);

    // An account of another tenant: its own user sees it, tenant A's administrator does not.
    const bea = { mail: `${tag('bea')}@fabrikam.example`, password: 'Bea-Pass-00001' };
    stack.graph.admin.createMailbox({ ...bea, tenantId: SECOND_TENANT_ID });
    const beaToken = { token: (await userToken(stack.graph, bea.mail, bea.password)).token };
    const registered = await stack.api(
      'POST',
      '/api/accounts',
      { email: bea.mail, syncVersion: 'v2' },
      { as: beaToken },
    );
    expect(registered.status, registered.text).toBe(201);
    const beaId = (registered.json as { id: string }).id;
    expect((await patch(beaId, { windowDays: 30 }, beaToken)).status).toBe(200);
    const foreign = await patch(beaId, { windowDays: 10 }, 'admin');
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);
    expect((await patch(own.id, { windowDays: 10 }, beaToken)).status).toBe(404);
  });

  it("lets only the tenant administrator change the tenant's blocklist, which every account of the tenant follows", async () => {
    expect((await stack.api('GET', '/api/tenants/me/mail-settings', undefined, { as: 'agent' })).status).toBe(
      403,
    );
    const refused = await stack.api(
      'PATCH',
      '/api/tenants/me/mail-settings',
      { blocklist: ['@x.example'] },
      { as: 'agent' },
    );
    expect(refused.status).toBe(403);
    expect((await stack.api('PATCH', '/api/tenants/me/mail-settings', { blocklist: ['nope'] })).status).toBe(
      400,
    );
    expect((await stack.api('GET', '/api/tenants/me/mail-settings')).json).toEqual({
      tenantId: stack.graph.tenantId,
      blocklist: [],
    });

    const changed = await stack.api('PATCH', '/api/tenants/me/mail-settings', {
      blocklist: ['@tenantweit.example'],
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toEqual({ tenantId: stack.graph.tenantId, blocklist: ['@tenantweit.example'] });
    expect((await settingsOf(own.id)).json).toMatchObject({
      blocklist: [],
      tenantBlocklist: ['@tenantweit.example'],
    });

    const blocked = await newClient('tenantweit.example');
    await receive(stack, own.mailbox, { from: person(blocked.address), subject: 'Vom gesperrten Mandanten' });
    await receive(stack, own.mailbox, { from: person(client.address), subject: 'Weiter erlaubt' });
    await stack.settle();
    expect(await subjects(blocked.id)).toEqual([]);
    expect(await subjects(client.id)).toContain('Weiter erlaubt');

    const audit = (await stack.api('GET', '/api/audit?limit=50')).json as {
      items: { action: string; accountId: string | null; outcome: string; actorKind: string }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        action: 'tenantMailSettings',
        accountId: null,
        outcome: 'ok',
        actorKind: 'tenantAdmin',
      }),
    );
    expect(audit.items).toContainEqual(
      expect.objectContaining({ action: 'tenantMailSettings', outcome: 'refused', actorKind: 'agent' }),
    );
    await stack.api('PATCH', '/api/tenants/me/mail-settings', { blocklist: [] });
  });

  it('syncs every mail folder once the folders setting says so, from the next round on', async () => {
    const graph = createGraphClient({
      baseUrl: stack.graph.url,
      authorityHost: stack.graph.authorityHost,
      tenantId: stack.graph.tenantId,
      clientId: stack.graph.clientId,
      clientSecret: stack.graph.clientSecret,
    });
    const folder = (await graph
      .api(`/users/${encodeURIComponent(own.mailbox)}/mailFolders`)
      .post({ displayName: 'Projekte' })) as { id: string };
    await receive(stack, own.mailbox, {
      from: person(client.address),
      subject: 'Im Projektordner',
      folder: folder.id,
    });
    await stack.settle();
    await stack.runTimer('reconcile');
    await stack.settle();
    expect(await subjects(client.id)).not.toContain('Im Projektordner');

    expect((await patch(own.id, { folders: 'all' })).status).toBe(200);
    await stack.settle();
    const mails = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Im Projektordner');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.mailboxes).toEqual([{ accountId: own.id, folder: 'Projekte' }]);
    const status = (await stack.api('GET', `/api/accounts/${own.id}`, undefined, { as: 'agent' })).json as {
      mail: { folders: { name: string }[] };
      mailSettings: { folders: string };
    };
    expect(status.mailSettings.folders).toBe('all');
    expect(status.mail.folders.map((f) => f.name)).toContain('Projekte');
    // Never Deleted Items, Junk, Drafts or Outbox.
    expect(status.mail.folders.map((f) => f.name)).not.toContain('Deleted Items');
    expect(status.mail.folders.map((f) => f.name)).not.toContain('Junk Email');

    // Back to Inbox and Sent Items: the folder is no longer read; its e-mail stays in the CRM,
    // without this mailbox's entry (as for a mail moved out of the synced folders).
    expect((await patch(own.id, { folders: 'inboxAndSent' })).status).toBe(200);
    await stack.settle();
    const kept = (await emailsOf(stack, client.id)).filter((m) => m.subject === 'Im Projektordner');
    expect(kept).toHaveLength(1);
    expect(kept[0]?.mailboxes).toEqual([]);
    const back = (await stack.api('GET', `/api/accounts/${own.id}`, undefined, { as: 'agent' })).json as {
      mail: { folders: { name: string }[] };
    };
    expect(back.mail.folders.map((f) => f.name).sort()).toEqual(['Inbox', 'Sent Items']);
  });

  it('imports the older mail a wider first-import window takes in, once, on the next round', async () => {
    const mailbox = `${tag('fenster')}@contoso.example`;
    stack.graph.admin.createMailbox({ mail: mailbox });
    const old = new Date(Date.now() - 120 * DAY).toISOString();
    const recent = new Date(Date.now() - 10 * DAY).toISOString();
    await receive(stack, mailbox, {
      from: person(client.address),
      subject: 'Vor 120 Tagen',
      receivedDateTime: old,
    });
    await receive(stack, mailbox, {
      from: person(client.address),
      subject: 'Vor 10 Tagen',
      receivedDateTime: recent,
    });
    const account = await stack.registerAccount({
      email: mailbox,
      syncVersion: 'v3',
      provider: 'microsoft365',
    });
    const inWindow = async () =>
      (await emailsOf(stack, client.id))
        .filter((m) => m.mailboxes.some((b) => b.accountId === account.id))
        .map((m) => m.subject)
        .sort();
    expect(await inWindow()).toEqual(['Vor 10 Tagen']);

    // A narrower window removes nothing that is in the CRM already.
    expect((await patch(account.id, { windowDays: 5 }, 'admin')).status).toBe(200);
    await stack.settle();
    expect(await inWindow()).toEqual(['Vor 10 Tagen']);

    expect((await patch(account.id, { windowDays: 180 }, 'admin')).status).toBe(200);
    await stack.settle();
    expect(await inWindow()).toEqual(['Vor 10 Tagen', 'Vor 120 Tagen']);
    const status = (await stack.api('GET', `/api/accounts/${account.id}`)).json as {
      mail: { stage: string };
      mailSettings: { windowDays: number };
    };
    expect(status).toMatchObject({ mail: { stage: 'live' }, mailSettings: { windowDays: 180 } });
  });
});
