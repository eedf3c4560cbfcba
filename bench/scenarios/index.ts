import { ewsRequests } from '../ews-requests.js';
import type { Scenario } from '../support/figure.js';
import { bulkPush } from './bulk-push.js';
import { e2eLatency } from './e2e-latency.js';
import { initialSync } from './initial-sync.js';
import { mailImport } from './mail-import.js';
import { mappingThroughput } from './mapping-throughput.js';
import { requestsPerEdit } from './requests-per-edit.js';
import { webhookLatency } from './webhook-latency.js';

/** Every scenario, in the order `npm run bench` runs them (the capped, heavy ones last). */
export const SCENARIOS: readonly Scenario[] = [
  mappingThroughput,
  webhookLatency,
  requestsPerEdit,
  ewsRequests,
  e2eLatency,
  bulkPush,
  initialSync,
  mailImport,
];
