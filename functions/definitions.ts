import type { HttpHandler, InvocationContext, Timer } from '@azure/functions';
import type { SettingName } from '../shared/config.js';
import type { QueueName } from '../shared/ports.js';
import {
  accountsConfirmDeletes,
  accountsExport,
  accountsGet,
  accountsList,
  accountsMigrate,
  accountsRegister,
  accountsRejectDeletes,
  accountsRemove,
  auditList,
} from './accounts.js';
import { crmEvents } from './crm-events.js';
import { graphLifecycle } from './graph-lifecycle.js';
import { graphNotifications } from './graph-notifications.js';
import { health } from './health.js';
import {
  accountMailSettingsGet,
  accountMailSettingsPatch,
  tenantMailSettingsGet,
  tenantMailSettingsPatch,
} from './mail-settings.js';
import { mailSync } from './mail-workers.js';
import {
  crmFanOut,
  crmToExchange,
  crmToExchangeBatch,
  exchangeToCrm,
  exchangeToCrmBatch,
} from './queue-workers.js';
import { ewsPoll, logRetention, migrationCutoff, reconcile, subscriptionRenewal } from './timers.js';
import { webApp } from './web.js';

/**
 * Every function of the app, once. functions/index.ts registers these with the Azure
 * Functions host; local/host runs the very same list on node:http, storage queues and timers;
 * test/consistency checks infra/ against it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type FunctionDefinition =
  | {
      name: string;
      trigger: 'http';
      methods: HttpMethod[];
      /** Relative to /api; with `mount: 'root'`, relative to the site root (the web app). */
      route: string;
      mount?: 'root';
      handler: HttpHandler;
    }
  | {
      name: string;
      trigger: 'queue';
      queue: QueueName;
      handler: (message: unknown, context: InvocationContext) => Promise<void>;
      /** Several waiting messages of one session at once; throwing means "one by one". */
      handleBatch?: (messages: unknown[], context: InvocationContext) => Promise<void>;
    }
  | {
      name: string;
      trigger: 'timer';
      scheduleSetting: SettingName;
      handler: (timer: Timer, context: InvocationContext) => Promise<void>;
    };

/**
 * The route a definition is registered with. host.json sets `routePrefix: ""` so that the web
 * app can serve the site root; the API keeps its `/api/...` routes by carrying the prefix here.
 */
export function hostRoute(definition: Extract<FunctionDefinition, { trigger: 'http' }>): string {
  return definition.mount === 'root' ? definition.route : `api/${definition.route}`;
}

export const FUNCTION_DEFINITIONS: readonly FunctionDefinition[] = [
  {
    name: 'graphNotifications',
    trigger: 'http',
    methods: ['POST'],
    route: 'graph/notifications',
    handler: graphNotifications,
  },
  {
    name: 'graphLifecycle',
    trigger: 'http',
    methods: ['POST'],
    route: 'graph/lifecycle',
    handler: graphLifecycle,
  },
  { name: 'crmEvents', trigger: 'http', methods: ['POST'], route: 'crm/events', handler: crmEvents },
  { name: 'accountsList', trigger: 'http', methods: ['GET'], route: 'accounts', handler: accountsList },
  {
    name: 'accountsRegister',
    trigger: 'http',
    methods: ['POST'],
    route: 'accounts',
    handler: accountsRegister,
  },
  { name: 'accountsGet', trigger: 'http', methods: ['GET'], route: 'accounts/{id}', handler: accountsGet },
  // Removing an account (issue 18 item 5; shared/service/remove-account.ts).
  {
    name: 'accountsRemove',
    trigger: 'http',
    methods: ['DELETE'],
    route: 'accounts/{id}',
    handler: accountsRemove,
  },
  {
    name: 'accountsMigrate',
    trigger: 'http',
    methods: ['POST'],
    route: 'accounts/{id}/migrate',
    handler: accountsMigrate,
  },
  {
    name: 'accountsConfirmDeletes',
    trigger: 'http',
    methods: ['POST'],
    route: 'accounts/{id}/confirm-deletes',
    handler: accountsConfirmDeletes,
  },
  {
    name: 'accountsRejectDeletes',
    trigger: 'http',
    methods: ['POST'],
    route: 'accounts/{id}/reject-deletes',
    handler: accountsRejectDeletes,
  },
  {
    name: 'accountsExport',
    trigger: 'http',
    methods: ['GET'],
    route: 'accounts/{id}/contacts.csv',
    handler: accountsExport,
  },
  // The mail settings of an account and of the caller's tenant (issue 17 items 1 and 2).
  {
    name: 'accountMailSettingsGet',
    trigger: 'http',
    methods: ['GET'],
    route: 'accounts/{id}/mail-settings',
    handler: accountMailSettingsGet,
  },
  {
    name: 'accountMailSettingsPatch',
    trigger: 'http',
    methods: ['PATCH'],
    route: 'accounts/{id}/mail-settings',
    handler: accountMailSettingsPatch,
  },
  {
    name: 'tenantMailSettingsGet',
    trigger: 'http',
    methods: ['GET'],
    route: 'tenants/me/mail-settings',
    handler: tenantMailSettingsGet,
  },
  {
    name: 'tenantMailSettingsPatch',
    trigger: 'http',
    methods: ['PATCH'],
    route: 'tenants/me/mail-settings',
    handler: tenantMailSettingsPatch,
  },
  { name: 'auditList', trigger: 'http', methods: ['GET'], route: 'audit', handler: auditList },
  { name: 'health', trigger: 'http', methods: ['GET'], route: 'health', handler: health },
  // The agents' and administrators' pages (web/): everything outside /api. The host matches
  // the more specific /api routes first; a catch-all also matches the site root.
  {
    name: 'webApp',
    trigger: 'http',
    methods: ['GET', 'POST'],
    route: '{*path}',
    mount: 'root',
    handler: webApp,
  },
  {
    name: 'exchangeToCrm',
    trigger: 'queue',
    queue: 'exchange-to-crm',
    handler: exchangeToCrm,
    handleBatch: exchangeToCrmBatch,
  },
  { name: 'crmFanOut', trigger: 'queue', queue: 'crm-events', handler: crmFanOut },
  {
    name: 'crmToExchange',
    trigger: 'queue',
    queue: 'crm-to-exchange',
    handler: crmToExchange,
    handleBatch: crmToExchangeBatch,
  },
  // Mail work of one account (shared/mail-sync/): its own queue, so a first import never stands
  // in front of the contacts' sync.
  { name: 'mailSync', trigger: 'queue', queue: 'mail', handler: mailSync },
  { name: 'reconcile', trigger: 'timer', scheduleSetting: 'RECONCILE_SCHEDULE', handler: reconcile },
  {
    name: 'subscriptionRenewal',
    trigger: 'timer',
    scheduleSetting: 'SUBSCRIPTION_RENEWAL_SCHEDULE',
    handler: subscriptionRenewal,
  },
  {
    name: 'migrationCutoff',
    trigger: 'timer',
    scheduleSetting: 'MIGRATION_CUTOFF_SCHEDULE',
    handler: migrationCutoff,
  },
  {
    name: 'logRetention',
    trigger: 'timer',
    scheduleSetting: 'LOG_RETENTION_SCHEDULE',
    handler: logRetention,
  },
  // On-premises (EWS) accounts cannot notify us: each is polled at its own slot (issue 18 item 2).
  { name: 'ewsPoll', trigger: 'timer', scheduleSetting: 'EWS_POLL_SCHEDULE', handler: ewsPoll },
];
