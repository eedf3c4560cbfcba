import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusClient } from '@azure/service-bus';
import type { Account } from '../shared/accounts/account.js';
import { RestCrmContacts } from '../shared/adapters/crm/rest-crm-contacts.js';
import { RestCrmEmails } from '../shared/adapters/crm/rest-crm-emails.js';
import {
  EwsExchangeContacts,
  EwsMailboxTransports,
  ewsContactsFor,
} from '../shared/adapters/ews/exchange-contacts.js';
import { EwsExchangeMail } from '../shared/adapters/ews/mail/ews-exchange-mail.js';
import { connectAccount } from '../shared/adapters/ews/mail/transports.js';
import { createGraphClient, GraphExchangeContacts } from '../shared/adapters/graph/index.js';
import { GraphExchangeMail } from '../shared/adapters/graph/mail/graph-exchange-mail.js';
import { ServiceBusQueue } from '../shared/adapters/queue/service-bus-queue.js';
import { StorageQueueTransport } from '../shared/adapters/queue/storage-queue-transport.js';
import { EncryptedTableSecrets, KeyVaultSecrets, parseSecretsKey } from '../shared/adapters/secrets/index.js';
import { TableAccounts } from '../shared/adapters/tables/table-accounts.js';
import { TableLease } from '../shared/adapters/tables/table-lease.js';
import { TableMail } from '../shared/adapters/tables/table-mail.js';
import { TableMirror } from '../shared/adapters/tables/table-mirror.js';
import { TableTenantSettings } from '../shared/adapters/tables/table-tenant-settings.js';
import { clockFrom } from '../shared/clock.js';
import { type Config, loadConfig, secretValues } from '../shared/config.js';
import { toError } from '../shared/errors.js';
import { CrmContactIndex } from '../shared/mail-sync/contact-index.js';
import type { MailDeps } from '../shared/mail-sync/deps.js';
import type { ExchangeMail } from '../shared/mail-sync/ports.js';
import type { ExchangeContacts, Queue, SecretStore } from '../shared/ports.js';
import type { QueueMessage } from '../shared/queue-message.js';
import type { SyncDeps } from '../shared/sync/deps.js';
import { AccountRouter } from '../shared/sync/exchange-router.js';
import { batchMailboxHints, type MailboxHints } from '../shared/sync/hint-batcher.js';
import { OwnCrmWrites, rememberingOwnWrites } from '../shared/sync/own-writes.js';
import { cacheSubscriptionLookups } from '../shared/sync/subscription-cache.js';
import type { WorkResult } from '../shared/sync/worker.js';

/**
 * The composition root: configuration read once, adapters built once per process, shared by
 * every function. The Azure host and the local host build it the same way, from the
 * environment; only the queue transport differs (Service Bus in Azure, storage queues locally).
 */
export interface Runtime {
  config: Readonly<Config>;
  deps: SyncDeps;
  /** An error's message with every configured secret blanked out, safe for logs and bodies. */
  redact(error: unknown): string;
  /** Group commit of mailbox-changed hints from the notification webhook (one per process). */
  hints: MailboxHints;
  /** CRM versions this process's workers wrote; the CRM webhook drops their echoes. */
  ownWrites: OwnCrmWrites;
  /**
   * Which adapter serves which account (shared/sync/exchange-router.ts): `deps.exchangeFor` is
   * `routers.contacts.for`. Another kind of adapter per account (EWS mail) is one more
   * AccountRouter built the same way, next to it.
   */
  routers: {
    contacts: AccountRouter<ExchangeContacts>;
    mail: AccountRouter<ExchangeMail>;
    /** The on-premises accounts' EWS transports, shared by their contacts and mail adapters. */
    ewsTransports: AccountRouter<EwsMailboxTransports | null>;
  };
  /** The mail sync's ports on top of `deps` (shared/mail-sync/, the `mail` queue). */
  mail: MailDeps;
  /** Optional observer of finished queue work (the local demo's progress and summary). */
  observe?: (message: QueueMessage, result: WorkResult) => void;
}

let current: Promise<Runtime> | undefined;

export function runtime(): Promise<Runtime> {
  current ??= buildRuntime(loadConfig());
  return current;
}

/** Lets the local host (and tests) install a runtime it built, before any function runs. */
export function installRuntime(value: Runtime | Promise<Runtime>): void {
  current = Promise.resolve(value);
}

export async function buildRuntime(
  config: Readonly<Config>,
  log: (line: string) => void = console.log,
): Promise<Runtime> {
  const storage = { connectionString: config.storageConnection };
  const clock = clockFrom(config.clockStart);
  const [mirror, accounts, lease, queue, mailStore, secrets, tenantSettings] = await Promise.all([
    TableMirror.create(storage),
    TableAccounts.create(storage),
    TableLease.create({ ...storage, clock }),
    createQueue(config),
    TableMail.create(storage),
    createSecretStore(config),
    TableTenantSettings.create(storage),
  ]);
  const graph = createGraphClient(config.graph);
  const ownWrites = new OwnCrmWrites();
  const graphContacts = new GraphExchangeContacts({
    client: graph,
    budget: { requestsPerWindow: config.graph.requestsPerWindow, windowMs: config.graph.windowMs },
    appConcurrency: config.graph.appConcurrency,
  });
  // One pool of EWS transports per on-premises account (two connections to its server), shared
  // by its contacts and its mail adapter: at most two requests in flight per mailbox.
  const ewsTransports = new AccountRouter<EwsMailboxTransports | null>({
    graph: null,
    onPremises: (_account, connection) => new EwsMailboxTransports(connectAccount(connection, secrets)),
    close: (pool) => pool?.close(),
  });
  // Graph for Microsoft 365 accounts; an EWS adapter of its own per on-premises one.
  const contacts = new AccountRouter<ExchangeContacts>({
    graph: graphContacts,
    onPremises: (account, connection) =>
      ewsContactsFor(connection, secrets, { transports: sharedTransports(ewsTransports, account) }),
    close: (adapter) => {
      if (adapter instanceof EwsExchangeContacts) adapter.close();
    },
  });
  const deps: SyncDeps = {
    exchange: graphContacts,
    exchangeFor: (account) => contacts.for(account),
    crm: rememberingOwnWrites(
      new RestCrmContacts({ baseUrl: config.crm.baseUrl, token: config.crm.token }),
      ownWrites,
    ),
    mirror,
    // Webhook intake only reads subscriptions; workers always read the account fresh.
    accounts: cacheSubscriptionLookups(accounts, clockFrom(null)),
    queue,
    lease,
    clock,
    wallClock: clockFrom(null),
    settings: {
      massDelete: config.massDelete,
      migration: config.migration,
      leaseWaitMs: 60_000,
      publicBaseUrl: config.publicBaseUrl,
      subscriptionMaxMinutes: config.graph.subscriptionMaxMinutes,
      pollIntervalMs: config.ewsPollIntervalMs,
    },
    secrets,
    tenantSettings,
    log,
  };
  const crmEndpoint = { baseUrl: config.crm.baseUrl, token: config.crm.token };
  // Mail and contacts draw on one Graph budget per mailbox and one app-wide cap.
  const graphMail = new GraphExchangeMail({ client: graph, scheduler: graphContacts.scheduler });
  // EWS mail for on-premises accounts, one adapter (one transport) per account, as for contacts.
  const mailRouter = new AccountRouter<ExchangeMail>({
    graph: graphMail,
    onPremises: (account) => new EwsExchangeMail({ transports: sharedTransports(ewsTransports, account) }),
    close: (adapter) => {
      if (adapter instanceof EwsExchangeMail) adapter.close();
    },
  });
  const mail: MailDeps = {
    ...deps,
    exchangeMail: graphMail,
    exchangeMailFor: (account) => mailRouter.for(account),
    crmEmails: new RestCrmEmails(crmEndpoint),
    mailStore,
    contactIndex: new CrmContactIndex(new RestCrmContacts(crmEndpoint), clock),
    defaultTenantId: config.graph.tenantId,
  };
  return {
    config,
    deps,
    routers: { contacts, mail: mailRouter, ewsTransports },
    mail,
    hints: batchMailboxHints(queue, clock),
    ownWrites,
    redact: redactor(secretValues(config)),
  };
}

function sharedTransports(
  router: AccountRouter<EwsMailboxTransports | null>,
  account: Account,
): EwsMailboxTransports {
  const pool = router.for(account);
  if (!pool) throw new Error(`account ${account.id} is not on-premises`);
  return pool;
}

async function createQueue(config: Readonly<Config>): Promise<Queue> {
  if (config.queueTransport === 'storage')
    return StorageQueueTransport.create({ connectionString: config.storageConnection });
  const client = new ServiceBusClient(config.serviceBusNamespace, new DefaultAzureCredential());
  return new ServiceBusQueue(client);
}

/**
 * On-premises passwords: Key Vault through the managed identity in Azure; locally the `secrets`
 * table encrypted with SECRETS_KEY. With neither, a store that refuses every use with a message
 * naming the setting (only connecting an on-premises account needs it).
 */
async function createSecretStore(config: Readonly<Config>): Promise<SecretStore> {
  if (config.secrets.vaultUrl !== null)
    return new KeyVaultSecrets({
      vaultUrl: config.secrets.vaultUrl,
      credential: new DefaultAzureCredential(),
    });
  if (config.secrets.key !== null)
    return EncryptedTableSecrets.create({
      connectionString: config.storageConnection,
      key: parseSecretsKey(config.secrets.key),
    });
  const missing = async (): Promise<never> => {
    throw new Error('no secret store: set SECRETS_VAULT_URL (Azure) or SECRETS_KEY (local stack)');
  };
  return { get: missing, set: missing, delete: missing };
}

export function redactor(secrets: string[]): (error: unknown) => string {
  return (error) => {
    let text = toError(error).message;
    for (const secret of secrets) text = text.split(secret).join('***');
    return text;
  };
}
