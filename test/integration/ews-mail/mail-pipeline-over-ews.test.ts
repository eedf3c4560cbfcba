import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { type RunningEwsEmulator, startEwsEmulator } from '../../../local/emulators/ews/index.js';
import { RestCrmContacts } from '../../../shared/adapters/crm/rest-crm-contacts.js';
import { RestCrmEmails } from '../../../shared/adapters/crm/rest-crm-emails.js';
import { EwsExchangeMail } from '../../../shared/adapters/ews/mail/ews-exchange-mail.js';
import { TableMail } from '../../../shared/adapters/tables/table-mail.js';
import { emailKey } from '../../../shared/mail/key.js';
import { CrmContactIndex } from '../../../shared/mail-sync/contact-index.js';
import type { MailDeps } from '../../../shared/mail-sync/deps.js';
import { mailSyncMessage } from '../../../shared/mail-sync/mail-jobs.js';
import { handleMailSync } from '../../../shared/mail-sync/mail-round.js';
import type { ExchangeContacts } from '../../../shared/ports.js';
import { InMemoryAccounts } from '../../fakes/in-memory-accounts.js';
import { InMemoryLease } from '../../fakes/in-memory-lease.js';
import { InMemoryMirror } from '../../fakes/in-memory-mirror.js';
import { uniqueName } from '../../support/names.js';
import { account } from '../../unit/sync/support/builders.js';

/**
 * The unchanged mail pipeline (shared/mail-sync/, issue 17) over the EWS mail adapter and the
 * EWS emulator, with the CRM emulator (REST adapters) and our mail table on Azurite: an
 * on-premises agent's client mail and reply reach the client's CRM record once each, with
 * direction, participants and body; a newsletter, a private mail and an internal mail do not;
 * a second poll writes nothing; a mail deleted in Outlook stays in the CRM. Each round is a
 * delta round (`full: false`), which is what polling an EWS account enqueues.
 */
const MAILBOX = 'max@makler.example';
const PASSWORD = 'S3cret-Max!';
const TENANT = 'tenant-ews-mail';
const connectionString = inject('storageConnectionString');
/** A mail table per test: a full round reconciles every e-mail of the tenant in it. */
const tables: string[] = [];

let ews: RunningEwsEmulator;
let crm: RunningCrmEmulator;
let deps: MailDeps;
let exchangeMail: EwsExchangeMail;
let client: string;

const unusedContacts = new Proxy({} as ExchangeContacts, {
  get(_target, prop) {
    if (prop === 'then') return undefined;
    return () => {
      throw new Error(`the mail pipeline called contacts.${String(prop)}`);
    };
  },
});

beforeAll(async () => {
  ews = await startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 });
  crm = await startCrmEmulator();
  exchangeMail = new EwsExchangeMail({
    connect: () => ({
      url: ews.ewsUrl,
      credentials: { username: 'MAKLER\\max', password: PASSWORD },
      ca: ews.caPem,
    }),
  });
});
afterAll(async () => {
  exchangeMail.close();
  await ews.stop();
  await crm.stop();
  for (const tableName of tables)
    await TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true })
      .deleteTable()
      .catch(() => undefined);
});

beforeEach(async () => {
  ews.admin.reset();
  ews.admin.createMailbox({ smtp: MAILBOX, user: 'max', domain: 'MAKLER', password: PASSWORD });
  ews.mail.setProfile(MAILBOX, { displayName: 'Max Makler', aliases: ['m.makler@makler.example'] });
  crm.admin.reset();
  [client] = crm.admin
    .seed([{ firstName: 'Anna', lastName: 'Kunde', emails: [{ address: 'anna@kunde.example', type: null }] }])
    .map((c) => c.id) as [string];
  const table = uniqueName('ewsmail');
  tables.push(table);
  const endpoint = { baseUrl: `${crm.url}/`, token: crm.token, retryBaseMs: 5, retryMaxMs: 50 };
  const clock = { now: () => new Date() };
  const accounts = new InMemoryAccounts();
  await accounts.put(
    account({ id: 'acc-ews', email: MAILBOX, userId: MAILBOX, tenantId: TENANT, provider: 'onPremises' }),
    null,
  );
  deps = {
    exchange: unusedContacts,
    crm: new RestCrmContacts(endpoint),
    mirror: new InMemoryMirror(),
    accounts,
    queue: { send: async () => undefined },
    lease: new InMemoryLease(clock),
    clock,
    wallClock: clock,
    settings: {
      massDelete: { share: 0.5, min: 10 },
      migration: { deadline: new Date('2099-01-01'), shutdown: new Date('2099-01-01') },
      leaseWaitMs: 3_000,
      publicBaseUrl: 'https://sync.example',
    },
    secrets: { get: async () => null, set: async () => undefined, delete: async () => undefined },
    log: () => undefined,
    exchangeMail,
    crmEmails: new RestCrmEmails(endpoint),
    mailStore: await TableMail.create({ connectionString, tableName: table }),
    contactIndex: new CrmContactIndex(new RestCrmContacts(endpoint), clock),
    defaultTenantId: TENANT,
  };
});

/** Graph's adapters, which an on-premises account must never reach once routed. */
const graphMail = new Proxy({} as MailDeps['exchangeMail'], {
  get(_target, prop) {
    if (prop === 'then') return undefined;
    return () => {
      throw new Error(`the on-premises account reached Graph's mail.${String(prop)}`);
    };
  },
});
/** The account's contacts adapter as the router gives it: polled (no subscriptions capability). */
const polledContacts = { subscriptions: undefined } as unknown as ExchangeContacts;

const poll = () => handleMailSync(deps, mailSyncMessage('acc-ews', false, 'poll', new Date()));
const crmMails = async () => (await deps.crmEmails.listForContact(client)).items;

describe('the mail pipeline over EWS', () => {
  it("brings a client's mail and the agent's reply to the client's record once each; newsletter, private and internal mail stay out", async () => {
    const incoming = ews.mail.receive(MAILBOX, {
      from: { address: 'Anna@Kunde.example', name: 'Anna Kunde' },
      subject: 'Besichtigung',
      body: { type: 'HTML', content: '<p>Guten Tag, passt Dienstag?</p>' },
      attachments: [{ name: 'Grundriss.pdf', contentType: 'application/pdf', size: 4096 }],
    });
    ews.mail.send(MAILBOX, {
      to: [{ address: 'anna@kunde.example', name: 'Anna Kunde' }],
      subject: 'AW: Besichtigung',
      body: { type: 'Text', content: 'Ja, Dienstag 10 Uhr.' },
      conversationId: incoming.data.conversationId,
    });
    ews.mail.receive(MAILBOX, {
      from: { address: 'anna@kunde.example' },
      subject: 'Newsletter',
      headers: [{ name: 'List-Unsubscribe', value: '<mailto:off@kunde.example>' }],
    });
    ews.mail.receive(MAILBOX, {
      from: { address: 'anna@kunde.example' },
      subject: 'privat',
      categories: ['Privat'],
    });
    ews.mail.receive(MAILBOX, { from: { address: 'eva@makler.example' }, subject: 'intern' });

    const result = await poll();
    expect(result).toMatchObject({ outcome: expect.not.stringMatching(/skipped/) });
    const mails = await crmMails();
    expect(mails.map((m) => [m.subject, m.direction]).sort()).toEqual([
      ['AW: Besichtigung', 'outgoing'],
      ['Besichtigung', 'incoming'],
    ]);
    const received = mails.find((m) => m.direction === 'incoming');
    expect(received).toMatchObject({
      key: emailKey(TENANT, incoming.data.internetMessageId),
      internetMessageId: incoming.data.internetMessageId,
      conversationId: incoming.data.conversationId,
      bodyText: 'Guten Tag, passt Dienstag?',
      hasAttachments: true,
      attachments: [{ name: 'Grundriss.pdf', contentType: 'application/pdf', size: 4096 }],
      contactIds: [client],
      mailboxes: [{ accountId: 'acc-ews', folder: 'Inbox' }],
    });
    expect(received?.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'from', address: 'anna@kunde.example', contactId: client }),
        expect.objectContaining({ role: 'to', address: MAILBOX, contactId: null }),
      ]),
    );
    expect(mails.find((m) => m.direction === 'outgoing')?.mailboxes).toEqual([
      { accountId: 'acc-ews', folder: 'Sent Items' },
    ]);

    crm.admin.clearRequests();
    ews.admin.log.length = 0;
    await poll();
    expect(await crmMails()).toHaveLength(2);
    expect(ews.admin.requests().byOperation).toEqual({ SyncFolderItems: 2 });
    const crmCalls = Object.keys(crm.admin.requests().api.counts);
    expect(crmCalls.filter((route) => route.startsWith('PUT'))).toEqual([]);
  });

  it('a mail deleted in Outlook leaves the CRM e-mail in place', async () => {
    const item = ews.mail.receive(MAILBOX, { from: { address: 'anna@kunde.example' }, subject: 'Angebot' });
    await poll();
    expect((await crmMails()).map((m) => m.subject)).toEqual(['Angebot']);
    ews.mail.delete(MAILBOX, item.id);
    await poll();
    expect((await crmMails()).map((m) => m.subject)).toEqual(['Angebot']);
  });

  it('routed like contacts: a full round (connect, sweep) of an on-premises account uses its EWS adapter and makes no subscription', async () => {
    deps = {
      ...deps,
      exchangeMail: graphMail,
      exchangeMailFor: (a) => (a.provider === 'onPremises' ? exchangeMail : graphMail),
      exchangeFor: () => polledContacts,
    };
    ews.mail.receive(MAILBOX, { from: { address: 'anna@kunde.example' }, subject: 'Anfrage' });
    await handleMailSync(deps, mailSyncMessage('acc-ews', true, 'connect', new Date()));
    expect((await crmMails()).map((m) => m.subject)).toEqual(['Anfrage']);
    const stored = await deps.accounts.get('acc-ews');
    expect(stored?.value.mail?.subscription ?? null).toBeNull();
    expect(stored?.value.mail?.stage).toBe('live');
  });

  it("a first import cut off after a page resumes from that page's SyncState, with the window still applied", async () => {
    const small = new EwsExchangeMail({
      pageSize: 2,
      connect: () => ({
        url: ews.ewsUrl,
        credentials: { username: 'MAKLER\\max', password: PASSWORD },
        ca: ews.caPem,
      }),
    });
    try {
      const old = new Date(Date.now() - 200 * 86_400_000).toISOString();
      for (let i = 0; i < 6; i++)
        ews.mail.receive(MAILBOX, {
          from: { address: 'anna@kunde.example' },
          subject: `Nr ${i}`,
          ...(i === 4 ? { received: old, sent: old } : {}),
        });
      const starts: (string | null)[] = [];
      let cut = true;
      deps = {
        ...deps,
        exchangeMail: new Proxy(small, {
          get(target, prop, receiver) {
            if (prop !== 'messageDelta') return Reflect.get(target, prop, receiver);
            return async function* (mailbox: string, folderId: string, from: string | null) {
              starts.push(from);
              let pages = 0;
              for await (const page of target.messageDelta(mailbox, folderId, from)) {
                yield page;
                // The function's time runs out after the Inbox's first page of the first round.
                if (cut && ++pages === 1 && page.deltaLink === undefined) {
                  cut = false;
                  throw new Error('function timeout');
                }
              }
            };
          },
        }),
      };
      await expect(poll()).rejects.toThrow('function timeout');
      expect((await crmMails()).map((m) => m.subject).sort()).toEqual(['Nr 0', 'Nr 1']);
      const folders = (await deps.accounts.get('acc-ews'))?.value.mail?.folders ?? {};
      const inbox = Object.values(folders).find((f) => f.displayName === 'Inbox');
      expect(inbox).toMatchObject({ deltaLink: null, resumeCursor: expect.any(String) });

      await poll();
      expect(starts).toContain(inbox?.resumeCursor);
      // Nr 4 is older than the 90-day window: still left out after the resume.
      expect((await crmMails()).map((m) => m.subject).sort()).toEqual([
        'Nr 0',
        'Nr 1',
        'Nr 2',
        'Nr 3',
        'Nr 5',
      ]);
      const after = (await deps.accounts.get('acc-ews'))?.value.mail?.folders ?? {};
      const done = Object.values(after).find((f) => f.displayName === 'Inbox');
      expect(done?.deltaLink).toEqual(expect.any(String));
      expect(done).not.toHaveProperty('resumeCursor');
    } finally {
      small.close();
    }
  });
});
