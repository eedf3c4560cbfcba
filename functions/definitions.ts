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
  auditList,
} from './accounts.js';
import { crmEvents } from './crm-events.js';
import { graphLifecycle } from './graph-lifecycle.js';
import { graphNotifications } from './graph-notifications.js';
import { health } from './health.js';
import {
  crmFanOut,
  crmToExchange,
  crmToExchangeBatch,
  exchangeToCrm,
  exchangeToCrmBatch,
} from './queue-workers.js';
import { migrationCutoff, reconcile, subscriptionRenewal } from './timers.js';

/**
 * Every function of the app, once. functions/index.ts registers these with the Azure
 * Functions host; local/host runs the very same list on node:http, storage queues and timers;
 * test/consistency checks infra/ against it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type FunctionDefinition =
  | { name: string; trigger: 'http'; methods: HttpMethod[]; route: string; handler: HttpHandler }
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
    name: 'accountsExport',
    trigger: 'http',
    methods: ['GET'],
    route: 'accounts/{id}/contacts.csv',
    handler: accountsExport,
  },
  { name: 'auditList', trigger: 'http', methods: ['GET'], route: 'audit', handler: auditList },
  { name: 'health', trigger: 'http', methods: ['GET'], route: 'health', handler: health },
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
];
