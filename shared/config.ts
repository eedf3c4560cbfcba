import envVar from 'env-var';

/**
 * The one typed configuration, read from the environment once at start and frozen.
 * A missing or malformed setting fails at load with a message naming the setting.
 * `SETTINGS` lists every variable the code reads: README's table, local.settings.sample.json
 * and the Bicep app settings are checked against it by test/consistency/.
 */

export interface SettingInfo {
  name: string;
  description: string;
  /** Value used when the variable is absent; undefined = required (in its mode). */
  default?: string;
  secret?: boolean;
}

export const SETTINGS = [
  {
    name: 'STORAGE_CONNECTION',
    description:
      'Table Storage (mirror, accounts, audit): the table service URL `https://<account>.table.core.windows.net` (managed identity, in Azure), or a connection string (Azurite; locally also the storage queues)',
    default: 'UseDevelopmentStorage=true',
  },
  {
    name: 'QUEUE_TRANSPORT',
    description: '`servicebus` in Azure; `storage` for the local stack (Azurite queues)',
    default: 'storage',
  },
  {
    name: 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace',
    description: 'Service Bus namespace host (identity-based), when QUEUE_TRANSPORT=servicebus',
    default: '',
  },
  { name: 'GRAPH_BASE_URL', description: 'Microsoft Graph base URL', default: 'https://graph.microsoft.com' },
  {
    name: 'GRAPH_AUTHORITY_HOST',
    description: 'Entra ID authority host',
    default: 'https://login.microsoftonline.com',
  },
  {
    name: 'GRAPH_TENANT_ID',
    description: 'Entra tenant id of the app registration used for client credentials',
  },
  { name: 'GRAPH_CLIENT_ID', description: 'Application (client) id of the app registration' },
  {
    name: 'GRAPH_CLIENT_SECRET',
    description: 'Client secret of the app registration (Key Vault reference in Azure)',
    secret: true,
  },
  {
    name: 'GRAPH_REQUESTS_PER_WINDOW',
    description: 'Per-mailbox request budget the client paces itself to (Outlook: 10,000 per 10 min)',
    default: '10000',
  },
  { name: 'GRAPH_WINDOW_MS', description: 'Length of that budget window in milliseconds', default: '600000' },
  {
    name: 'GRAPH_APP_CONCURRENCY',
    description:
      "Graph requests in flight per instance across all mailboxes. Outlook's 4-concurrent limit is documented per app and mailbox but has been described per app across mailboxes: 4 is inside it under both readings",
    default: '4',
  },
  {
    name: 'GRAPH_SUBSCRIPTION_MAX_MINUTES',
    description:
      "Graph's cap on a contact subscription's lifetime in minutes (current docs: 10,080; older: 4,230); subscriptions ask for an hour less",
    default: '10080',
  },
  { name: 'CRM_BASE_URL', description: 'Base URL of the CRM API (routes under /crm/v1)' },
  { name: 'CRM_TOKEN', description: 'Bearer token for the CRM API', secret: true },
  {
    name: 'CRM_WEBHOOK_SECRET',
    description: 'Shared secret of the CRM webhook signature (HMAC-SHA256)',
    secret: true,
  },
  {
    name: 'CRM_WEBHOOK_SECRET_PREVIOUS',
    description:
      'While set, the previous CRM webhook secret is accepted too, so the secret rotates without a gap (DEPLOY.md)',
    default: '',
    secret: true,
  },
  {
    name: 'API_CLIENT_ID',
    description:
      "Application (client) id of the app registration that exposes the API: the access tokens' audience (empty = GRAPH_CLIENT_ID, one app registration)",
    default: '',
  },
  {
    name: 'API_APP_ID_URI',
    description: 'Application ID URI of the API, also accepted as audience (empty = `api://{API_CLIENT_ID}`)',
    default: '',
  },
  {
    name: 'AUTH_SERVICE_TENANTS',
    description:
      'Tenant ids (comma-separated; `*` = all) whose accounts a service caller manages: a client-credentials token of GRAPH_TENANT_ID with the app role `Sync.Admin`',
    default: '',
  },
  {
    name: 'WEB_CLIENT_ID',
    description:
      "Application (client) id of the web app's sign-in (a public client: authorization code with PKCE); empty = the API's client id",
    default: '',
  },
  {
    name: 'WEB_SIGN_IN_TENANT',
    description: 'Tenant segment of the web sign-in (`organizations`: any work account; or one tenant id)',
    default: 'organizations',
  },
  {
    name: 'APP_DISPLAY_NAME',
    description: "This app's name in Entra (Enterprise applications), named on the admin-approval page",
    default: 'FLOWFACT',
  },
  {
    name: 'LEGACY_APP_DISPLAY_NAME',
    description: "The old V2 interface's app name, which the admin-approval page warns not to approve",
    default: 'FLOWFACT (Nylas)',
  },
  {
    name: 'PUBLIC_BASE_URL',
    description:
      "The function app's public https base URL; Graph posts notifications to {PUBLIC_BASE_URL}/api/graph/... (Graph refuses http)",
    default: 'https://127.0.0.1:7072',
  },
  {
    name: 'MIGRATION_DEADLINE',
    description: 'Instant from which unmigrated V2 accounts are overdue (end of 18.07.2025 Berlin)',
    default: '2025-07-18T22:00:00Z',
  },
  {
    name: 'MIGRATION_SHUTDOWN',
    description: 'Instant from which V2 sync stops (00:00 on 01.08.2025 Berlin)',
    default: '2025-07-31T22:00:00Z',
  },
  {
    name: 'SYNC_CLOCK_START',
    description:
      'Optional ISO instant the clock starts at (then runs forward in real time); for demos and deadline tests',
    default: '',
  },
  {
    name: 'MASS_DELETE_SHARE',
    description:
      "A delta round deleting more than this share of an account's contacts is held for confirmation",
    default: '0.5',
  },
  {
    name: 'MASS_DELETE_MIN',
    description: 'The mass-delete guard applies only from this many deletes in one round',
    default: '10',
  },
  {
    name: 'MASS_DELETE_WINDOW_HOURS',
    description:
      'Deletes carried out within this many hours add up for the mass-delete guard (a slow wipe is held too)',
    default: '24',
  },
  {
    name: 'RECONCILE_SCHEDULE',
    description: 'NCRONTAB schedule of the reconcile sweep',
    default: '0 */15 * * * *',
  },
  {
    name: 'SUBSCRIPTION_RENEWAL_SCHEDULE',
    description: 'NCRONTAB schedule of the Graph subscription renewal',
    default: '0 0 */6 * * *',
  },
  {
    name: 'MIGRATION_CUTOFF_SCHEDULE',
    description: 'NCRONTAB schedule of the V2 deadline enforcement',
    default: '0 */10 * * * *',
  },
  {
    name: 'LOG_RETENTION_DAYS',
    description: 'Action-log entries older than this many days are removed by the log retention timer',
    default: '180',
  },
  {
    name: 'SECRETS_VAULT_URL',
    description:
      "Key Vault URL (`https://<vault>.vault.azure.net/`) of the on-premises accounts' passwords, read and written through the app's managed identity; empty = the local encrypted store (SECRETS_KEY)",
    default: '',
  },
  {
    name: 'SECRETS_KEY',
    description:
      "Local stack only: AES-256-GCM key (64 hex digits or base64 of 32 bytes) of the on-premises accounts' passwords in the `secrets` table; `npm start` generates one into .local",
    default: '',
    secret: true,
  },
  {
    name: 'LOG_RETENTION_SCHEDULE',
    description: 'NCRONTAB schedule of the action-log retention',
    default: '0 30 2 * * *',
  },
  {
    name: 'EWS_POLL_SCHEDULE',
    description:
      'NCRONTAB schedule of the polling timer: on-premises (EWS) accounts whose poll slot fell since its last run get a delta round',
    default: '*/30 * * * * *',
  },
  {
    name: 'EWS_POLL_INTERVAL_SECONDS',
    description:
      'How often each on-premises (EWS) account is polled with SyncFolderItems; accounts are spread over the interval',
    default: '120',
  },
] as const satisfies readonly SettingInfo[];

export type SettingName = (typeof SETTINGS)[number]['name'];

export interface Config {
  storageConnection: string;
  queueTransport: 'storage' | 'servicebus';
  serviceBusNamespace: string;
  graph: {
    baseUrl: string;
    authorityHost: string;
    tenantId: string;
    clientId: string;
    clientSecret: string;
    requestsPerWindow: number;
    /** Requests in flight across all mailboxes of this instance (MailboxScheduler appConcurrency). */
    appConcurrency: number;
    windowMs: number;
    subscriptionMaxMinutes: number;
  };
  crm: { baseUrl: string; token: string; webhookSecret: string; previousWebhookSecret: string | null };
  /** Who may call the API (shared/auth): the accepted audiences and the service caller's tenants. */
  api: { clientId: string; audiences: string[]; serviceTenants: string[] };
  /** The web app's sign-in and the app names its admin-approval page shows. */
  web: { clientId: string; signInTenant: string; appDisplayName: string; legacyAppDisplayName: string };
  publicBaseUrl: string;
  migration: { deadline: Date; shutdown: Date };
  clockStart: Date | null;
  massDelete: { share: number; min: number; windowMs: number };
  /** Days the action log keeps an entry (the retention timer removes older ones). */
  logRetentionDays: number;
  /**
   * Where on-premises passwords live: Key Vault (`vaultUrl`) in Azure, else the local table
   * encrypted with `key` (its text form, 32 bytes as hex or base64). Both null: none configured,
   * connecting an on-premises account fails with a message naming SECRETS_KEY.
   */
  secrets: { vaultUrl: string | null; key: string | null };
  schedules: {
    reconcile: string;
    subscriptionRenewal: string;
    migrationCutoff: string;
    logRetention: string;
    ewsPoll: string;
  };
  /** How often each on-premises (EWS) account is polled (EWS_POLL_INTERVAL_SECONDS). */
  ewsPollIntervalMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const from = envVar.from(fillDefaults(env));
  const url = (name: SettingName) => from.get(name).required().asUrlString().replace(/\/$/, '');
  const text = (name: SettingName) => from.get(name).required().asString();
  const instant = (name: SettingName) => {
    const value = from.get(name).asString() ?? '';
    if (value === '') return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime()))
      throw new Error(`env-var: "${name}" should be an ISO instant, got "${value}"`);
    return date;
  };
  const config: Config = {
    storageConnection: text('STORAGE_CONNECTION'),
    queueTransport: from.get('QUEUE_TRANSPORT').required().asEnum(['storage', 'servicebus']),
    serviceBusNamespace: from.get('SERVICEBUS_CONNECTION__fullyQualifiedNamespace').asString() ?? '',
    graph: {
      baseUrl: url('GRAPH_BASE_URL'),
      authorityHost: url('GRAPH_AUTHORITY_HOST'),
      tenantId: text('GRAPH_TENANT_ID'),
      clientId: text('GRAPH_CLIENT_ID'),
      clientSecret: text('GRAPH_CLIENT_SECRET'),
      requestsPerWindow: from.get('GRAPH_REQUESTS_PER_WINDOW').required().asIntPositive(),
      appConcurrency: from.get('GRAPH_APP_CONCURRENCY').required().asIntPositive(),
      windowMs: from.get('GRAPH_WINDOW_MS').required().asIntPositive(),
      subscriptionMaxMinutes: from.get('GRAPH_SUBSCRIPTION_MAX_MINUTES').required().asIntPositive(),
    },
    crm: {
      baseUrl: url('CRM_BASE_URL'),
      token: text('CRM_TOKEN'),
      webhookSecret: text('CRM_WEBHOOK_SECRET'),
      previousWebhookSecret: from.get('CRM_WEBHOOK_SECRET_PREVIOUS').asString() || null,
    },
    api: apiSettings((name) => from.get(name).asString() ?? ''),
    web: {
      clientId:
        from.get('WEB_CLIENT_ID').asString() ||
        from.get('API_CLIENT_ID').asString() ||
        text('GRAPH_CLIENT_ID'),
      signInTenant: text('WEB_SIGN_IN_TENANT'),
      appDisplayName: text('APP_DISPLAY_NAME'),
      legacyAppDisplayName: text('LEGACY_APP_DISPLAY_NAME'),
    },
    publicBaseUrl: url('PUBLIC_BASE_URL'),
    migration: { deadline: instant('MIGRATION_DEADLINE')!, shutdown: instant('MIGRATION_SHUTDOWN')! },
    clockStart: instant('SYNC_CLOCK_START'),
    massDelete: {
      share: from.get('MASS_DELETE_SHARE').required().asFloatPositive(),
      min: from.get('MASS_DELETE_MIN').required().asIntPositive(),
      windowMs: from.get('MASS_DELETE_WINDOW_HOURS').required().asFloatPositive() * 3_600_000,
    },
    schedules: {
      reconcile: text('RECONCILE_SCHEDULE'),
      subscriptionRenewal: text('SUBSCRIPTION_RENEWAL_SCHEDULE'),
      migrationCutoff: text('MIGRATION_CUTOFF_SCHEDULE'),
      logRetention: text('LOG_RETENTION_SCHEDULE'),
      ewsPoll: text('EWS_POLL_SCHEDULE'),
    },
    ewsPollIntervalMs: from.get('EWS_POLL_INTERVAL_SECONDS').required().asIntPositive() * 1000,
    logRetentionDays: from.get('LOG_RETENTION_DAYS').required().asIntPositive(),
    secrets: {
      vaultUrl: from.get('SECRETS_VAULT_URL').asString() || null,
      key: from.get('SECRETS_KEY').asString() || null,
    },
  };
  if (config.secrets.vaultUrl !== null && !/^https:\/\/[^/\s]+\/?$/.test(config.secrets.vaultUrl))
    throw new Error(
      `env-var: "SECRETS_VAULT_URL" should be a Key Vault https URL, got "${config.secrets.vaultUrl}"`,
    );
  if (config.secrets.key !== null) {
    const key = config.secrets.key.trim();
    const bytes = /^[0-9a-f]{64}$/i.test(key) ? 32 : Buffer.from(key, 'base64').length;
    if (bytes !== 32) throw new Error('env-var: "SECRETS_KEY" should be 32 bytes as 64 hex digits or base64');
  }
  if (config.queueTransport === 'servicebus' && config.serviceBusNamespace === '') {
    throw new Error(
      'env-var: "SERVICEBUS_CONNECTION__fullyQualifiedNamespace" is required when QUEUE_TRANSPORT=servicebus',
    );
  }
  if (config.graph.subscriptionMaxMinutes < 45) {
    // Graph raises any expiry under 45 minutes to 45 (subscription resource type).
    throw new Error('env-var: "GRAPH_SUBSCRIPTION_MAX_MINUTES" must be at least 45');
  }
  if (new URL(config.publicBaseUrl).protocol !== 'https:') {
    // Graph refuses a subscription whose notificationUrl or lifecycleNotificationUrl is not https.
    throw new Error(
      `env-var: "PUBLIC_BASE_URL" must be an https URL (Graph refuses http notification URLs), got "${config.publicBaseUrl}"`,
    );
  }
  if (config.migration.shutdown <= config.migration.deadline) {
    throw new Error('env-var: "MIGRATION_SHUTDOWN" must be later than "MIGRATION_DEADLINE"');
  }
  return deepFreeze(config);
}

function apiSettings(get: (name: SettingName) => string): Config['api'] {
  const clientId = get('API_CLIENT_ID') || get('GRAPH_CLIENT_ID');
  const uri = get('API_APP_ID_URI') || `api://${clientId}`;
  const serviceTenants = get('AUTH_SERVICE_TENANTS')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const tenant of serviceTenants) {
    if (tenant !== '*' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant))
      throw new Error(`env-var: "AUTH_SERVICE_TENANTS" should list tenant GUIDs or *, got "${tenant}"`);
  }
  return { clientId, audiences: [clientId, uri], serviceTenants };
}

function fillDefaults(env: Record<string, string | undefined>): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const setting of SETTINGS as readonly SettingInfo[]) {
    const value = env[setting.name];
    if (value !== undefined && value !== '') filled[setting.name] = value;
    else if (setting.default !== undefined) filled[setting.name] = setting.default;
  }
  return filled;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The secret values of a config, for log redaction and the no-secret-in-logs test. */
export function secretValues(config: Config): string[] {
  return [
    config.graph.clientSecret,
    config.crm.token,
    config.crm.webhookSecret,
    config.crm.previousWebhookSecret ?? '',
    config.storageConnection,
    config.secrets.key ?? '',
  ].filter((v) => v.length >= 8);
}
