import { startAzurite } from '../local/azurite.js';
import { startCrmEmulator } from '../local/emulators/crm/index.js';
import type { RunningEwsEmulator } from '../local/emulators/ews/index.js';
import { RestCrmContacts } from '../shared/adapters/crm/rest-crm-contacts.js';
import { RestCrmEmails } from '../shared/adapters/crm/rest-crm-emails.js';
import { EwsExchangeMail } from '../shared/adapters/ews/mail/ews-exchange-mail.js';
import { TableMail } from '../shared/adapters/tables/table-mail.js';
import { CrmContactIndex } from '../shared/mail-sync/contact-index.js';
import type { MailDeps } from '../shared/mail-sync/deps.js';
import { mailSyncMessage } from '../shared/mail-sync/mail-jobs.js';
import { handleMailSync } from '../shared/mail-sync/mail-round.js';
import type { ExchangeContacts } from '../shared/ports.js';
import { InMemoryAccounts } from '../test/fakes/in-memory-accounts.js';
import { InMemoryLease } from '../test/fakes/in-memory-lease.js';
import { InMemoryMirror } from '../test/fakes/in-memory-mirror.js';
import { account } from '../test/unit/sync/support/builders.js';
import { now } from './support/measure.js';

/**
 * A first mail import of an on-premises mailbox through the unchanged mail pipeline
 * (handleMailSync, a full `connect` round), routed to the EWS mail adapter as the runtime
 * routes an on-premises account: the EWS emulator's mailbox, the CRM emulator over HTTP, our
 * mail table on an Azurite of its own; accounts and lease in memory. `messages` mails, 30 % from
 * `clients` CRM contacts, the rest from strangers, all inside the window.
 */
export interface EwsMailPipelineRun {
  messages: number;
  linked: number;
  ewsRequests: number;
  ewsByOperation: Record<string, number>;
  crmRequests: number;
  crmByRoute: Record<string, number>;
  seconds: number;
}

const MAILBOX = 'mail@contoso.example';
const PASSWORD = 'Bench-Mail-Passw0rd!';

export async function ewsMailPipeline(
  ews: RunningEwsEmulator,
  messages: number,
  clients = 300,
): Promise<EwsMailPipelineRun> {
  const azurite = await startAzurite();
  const crm = await startCrmEmulator();
  const mail = new EwsExchangeMail({
    connect: () => ({
      url: ews.ewsUrl,
      credentials: { username: 'CONTOSO\\mail', password: PASSWORD },
      ca: ews.caPem,
    }),
  });
  try {
    ews.admin.createMailbox({ smtp: MAILBOX, user: 'mail', domain: 'CONTOSO', password: PASSWORD });
    crm.admin.seed(
      Array.from({ length: clients }, (_, i) => ({
        firstName: 'Kunde',
        lastName: `Nr${i}`,
        emails: [{ address: `kunde${i}@kunden.example`, type: null }],
      })),
    );
    for (let i = 0; i < messages; i++) {
      const client = i % 10 < 3;
      ews.mail.receive(MAILBOX, {
        from: client
          ? { address: `kunde${i % clients}@kunden.example`, name: `Kunde ${i}` }
          : { address: `fremd${i}@fremd.example` },
        subject: `Anfrage ${i}`,
        body: { type: 'HTML', content: `<p>Guten Tag, Anfrage ${i}</p>` },
        ...(i % 20 === 0
          ? { attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 }] }
          : {}),
      });
    }
    const endpoint = { baseUrl: `${crm.url}/`, token: crm.token };
    const clock = { now: () => new Date() };
    const accounts = new InMemoryAccounts();
    await accounts.put(
      account({
        id: 'acc-mail',
        email: MAILBOX,
        userId: MAILBOX,
        tenantId: 'tenant-bench',
        provider: 'onPremises',
      }),
      null,
    );
    const unused = new Proxy({} as ExchangeContacts, {
      get: (_t, prop) =>
        prop === 'subscriptions' || prop === 'then' ? undefined : () => Promise.reject(new Error('unused')),
    });
    const deps: MailDeps = {
      exchange: unused,
      exchangeFor: () => unused, // polled: no subscriptions capability
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
        leaseWaitMs: 60_000,
        publicBaseUrl: 'https://sync.example',
      },
      secrets: { get: async () => null, set: async () => undefined, delete: async () => undefined },
      log: () => undefined,
      exchangeMail: mail,
      crmEmails: new RestCrmEmails(endpoint),
      mailStore: await TableMail.create({ connectionString: azurite.connectionString }),
      contactIndex: new CrmContactIndex(new RestCrmContacts(endpoint), clock),
      defaultTenantId: 'tenant-bench',
    };
    ews.admin.log.length = 0;
    crm.admin.clearRequests();
    const t0 = now();
    await handleMailSync(deps, mailSyncMessage('acc-mail', true, 'connect', new Date()));
    const seconds = Math.round((now() - t0) / 100) / 10;
    const ewsByOperation = Object.fromEntries(
      Object.entries(
        ews.admin.log
          .filter((r) => r.user === MAILBOX && r.operation)
          .reduce<Record<string, number>>((acc, r) => {
            acc[r.operation ?? ''] = (acc[r.operation ?? ''] ?? 0) + 1;
            return acc;
          }, {}),
      ),
    );
    const crmLog = crm.admin.requests();
    const linked = (await accounts.get('acc-mail'))?.value.mail?.counts.linked ?? 0;
    return {
      messages,
      linked,
      ewsRequests: Object.values(ewsByOperation).reduce((a, b) => a + b, 0),
      ewsByOperation,
      crmRequests: crmLog.api.total,
      crmByRoute: crmLog.api.counts,
      seconds,
    };
  } finally {
    mail.close();
    await crm.stop();
    await azurite.stop();
  }
}
