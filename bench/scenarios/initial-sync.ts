import { outlookContacts } from '../../local/demo/data.js';
import { startBenchStack } from '../support/bench-stack.js';
import type { Scenario } from '../support/figure.js';
import { instrument } from '../support/instrument.js';
import { now, sampleMemory, waitFor } from '../support/measure.js';

const CONTACTS = Number(process.env.BENCH_INITIAL_CONTACTS ?? 10_000);
/** Longest the sync may run; one that has not finished is measured up to here and extrapolated. */
const CAP_MS = Number(process.env.BENCH_INITIAL_CAP_S ?? 180) * 1000;
const MAILBOX = 'initial@contoso.example';

/**
 * Initial sync of a 10,000-contact Outlook mailbox into an empty CRM: from POST /api/accounts
 * until every contact is in the CRM, then until the stack is quiet (the CRM events of those
 * creates echo back and are recognised). The mailbox is seeded first through $batch with the
 * emulator's throttle opened wide; the product still paces itself to Outlook's real budget.
 * The emulators and the host share this process, so memory is reported as growth during the
 * sync (RSS) and as the JS heap's peak; Azurite is a child process and is not included.
 */
export const initialSync: Scenario = {
  name: 'initial-sync',
  async run({ tlsDir, log }) {
    const stack = await startBenchStack(tlsDir, {
      graph: { throttle: { requestsPerWindow: 1_000_000, windowMs: 600_000, concurrency: 4 } },
    });
    let finished = false;
    try {
      stack.graph.admin.createMailbox({ mail: MAILBOX });
      const seedStart = now();
      await stack.outlook.createContacts(MAILBOX, outlookContacts(CONTACTS, 7, 'kunden.example'));
      log(`seeded ${CONTACTS} Outlook contacts in ${Math.round(now() - seedStart)} ms`);
      stack.graph.admin.clearRequests();
      stack.crm.admin.clearRequests();
      global.gc?.();
      const probe = instrument(stack);
      const memory = sampleMemory(250);
      const start = now();
      await stack.register(MAILBOX);
      const inCrm = () => stack.crm.admin.contacts().length;
      // Polled in process (no traffic): the moment every Outlook contact is in the CRM.
      const arrived = await waitFor(() => inCrm() >= CONTACTS, CAP_MS, 250).then(
        () => true,
        () => false,
      );
      const arrivedMs = now() - start;
      if (arrived) await stack.settle(Math.max(30_000, CAP_MS - arrivedMs));
      finished = arrived;
      const settledMs = now() - start;
      const peak = memory.stop();
      global.gc?.();
      // What the sync still holds after a full GC (the heap peak also counts garbage V8 had not collected yet).
      const retainedMb =
        Math.round((process.memoryUsage().heapUsed / 1024 / 1024 - peak.heapStartMb) * 10) / 10;
      const cost = probe.stop();
      const graph = stack.graph.admin.requests();
      const crm = stack.crm.admin.requests();
      const synced = inCrm();
      const rate = synced / (arrivedMs / 1000);
      log(`${synced} of ${CONTACTS} contacts in the CRM after ${Math.round(arrivedMs)} ms`);
      const per = (n: number) => Math.round((n / Math.max(1, synced)) * 100) / 100;
      const cpuMs = Math.round(
        ((cost.cpuSeconds.process + cost.cpuSeconds.azurite) / Math.max(1, synced)) * 1000,
      );
      return {
        figures: [
          {
            name: `contacts in the CRM within ${CAP_MS / 1000} s`,
            value: synced,
            unit: 'contacts',
            target: { op: '==', value: CONTACTS },
          },
          { name: 'sync rate', value: Math.round(rate * 10) / 10, unit: 'contacts/s' },
          {
            name: arrived ? 'wall time until all in the CRM' : `projected wall time for ${CONTACTS}`,
            value: Math.round(arrived ? arrivedMs / 1000 : CONTACTS / rate),
            unit: 's',
          },
          ...(arrived
            ? [{ name: 'wall time until the stack is quiet', value: Math.round(settledMs / 1000), unit: 's' }]
            : []),
          { name: 'Graph requests (whole sync)', value: graph.total, unit: 'requests' },
          { name: 'CRM requests per contact', value: per(crm.api.total), unit: 'requests' },
          {
            name: 'Table Storage requests per contact',
            value: per(cost.traffic.bySide.table),
            unit: 'requests',
          },
          { name: 'queue requests per contact', value: per(cost.traffic.bySide.queue), unit: 'requests' },
          { name: 'CPU per contact (process + Azurite)', value: cpuMs, unit: 'ms' },
          {
            name: 'process RSS growth (peak)',
            value: peak.rssGrowthMb,
            unit: 'MB',
            target: { op: '<', value: 300 },
          },
          { name: 'JS heap peak', value: peak.heapPeakMb, unit: 'MB', target: { op: '<', value: 300 } },
          { name: 'JS heap retained after GC (growth)', value: retainedMb, unit: 'MB' },
        ],
        raw: {
          contacts: CONTACTS,
          capMs: CAP_MS,
          synced,
          arrivedMs,
          settledMs,
          memory: { ...peak, retainedAfterGcMb: retainedMb },
          graphTotal: graph.total,
          crmTotal: crm.api.total,
          graphByRoute: graph.byRoute,
          crmByRoute: crm.api.counts,
          ...cost,
        },
      };
    } finally {
      if (finished) await stack.stop();
      else await stack.abort();
    }
  },
};
