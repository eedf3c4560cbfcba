import { outlookContacts } from '../../local/demo/data.js';
import { type BenchStack, startBenchStack } from '../support/bench-stack.js';
import { countWhere, isContactWrite, isDeltaRead, isWrite } from '../support/counts.js';
import type { Scenario } from '../support/figure.js';

const MAILBOX = 'edits@contoso.example';
const EDITS = 5;
const BURST = 100;

/**
 * What one edit costs in requests, read from both emulators' logs: an Outlook edit must cause
 * exactly one CRM write and no write back to Graph (no echo); a CRM edit one Graph write and
 * no CRM write. Then a burst of 100 Outlook edits on one mailbox: the notifications must
 * coalesce into at most 2 delta rounds.
 */
export const requestsPerEdit: Scenario = {
  name: 'requests-per-edit',
  async run({ tlsDir, log }) {
    const stack = await startBenchStack(tlsDir, {
      graph: { throttle: { requestsPerWindow: 100_000, windowMs: 600_000, concurrency: 4 } },
    });
    try {
      stack.graph.admin.createMailbox({ mail: MAILBOX });
      await stack.outlook.createContacts(MAILBOX, outlookContacts(BURST + 2 * EDITS, 5, 'edits.example'));
      await stack.register(MAILBOX);
      await stack.settle();
      const outlookIds = stack.graph.admin.contacts(MAILBOX).map((c) => String(c.id));
      const crmIds = stack.crm.admin.contacts().map((c) => c.id);

      const outlookEdits = [];
      for (let i = 0; i < EDITS; i++) {
        outlookEdits.push(
          await measure(stack, () =>
            stack.outlook.updateContact(MAILBOX, outlookIds[i]!, { jobTitle: `Makler ${i}` }),
          ),
        );
      }
      const crmEdits = [];
      for (let i = 0; i < EDITS; i++) {
        crmEdits.push(
          await measure(
            stack,
            async () => void stack.crm.admin.editAsUser(crmIds[EDITS + i]!, { position: `Vertrieb ${i}` }),
          ),
        );
      }
      const burst = await measure(stack, async () => {
        const ids = outlookIds.slice(2 * EDITS, 2 * EDITS + BURST);
        for (let i = 0; i < ids.length; i += 20) {
          const requests = ids.slice(i, i + 20).map((id, n) => ({
            id: String(n + 1),
            method: 'PATCH',
            url: `/users/${encodeURIComponent(MAILBOX)}/contacts/${encodeURIComponent(id)}`,
            body: { department: 'Burst' },
            headers: { 'content-type': 'application/json' },
          }));
          await stack.outlook.request('POST', '/$batch', { requests });
        }
      });
      const burstArrived = stack.crm.admin.contacts().filter((c) => c.department === 'Burst').length;
      log(`burst: ${burst.deltaReads} delta reads, ${burstArrived} of ${BURST} edits in the CRM`);

      const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
      const max = (xs: number[]) => Math.max(...xs);
      // The user's own requests are in the Graph log too: one PATCH per Outlook edit, 5 $batch for the burst.
      const outlookGraph = outlookEdits.map((e) => e.graphRequests - 1);
      const outlookGraphWrites = outlookEdits.map((e) => e.graphWrites - 1);
      return {
        figures: [
          { name: 'Outlook edit: Graph requests by the sync', value: mean(outlookGraph), unit: 'requests' },
          {
            name: 'Outlook edit: CRM writes',
            value: max(outlookEdits.map((e) => e.crmWrites)),
            unit: 'writes',
            target: { op: '==', value: 1 },
          },
          {
            name: 'Outlook edit: echo writes to Graph',
            value: max(outlookGraphWrites),
            unit: 'writes',
            target: { op: '==', value: 0 },
          },
          {
            name: 'Outlook edit: CRM requests',
            value: mean(outlookEdits.map((e) => e.crmRequests)),
            unit: 'requests',
          },
          {
            name: 'CRM edit: Graph writes',
            value: max(crmEdits.map((e) => e.graphWrites)),
            unit: 'writes',
            target: { op: '==', value: 1 },
          },
          {
            name: 'CRM edit: echo writes to the CRM',
            value: max(crmEdits.map((e) => e.crmWrites)),
            unit: 'writes',
            target: { op: '==', value: 0 },
          },
          {
            name: 'CRM edit: Graph requests',
            value: mean(crmEdits.map((e) => e.graphRequests)),
            unit: 'requests',
          },
          {
            name: 'CRM edit: CRM requests',
            value: mean(crmEdits.map((e) => e.crmRequests)),
            unit: 'requests',
          },
          {
            name: `burst of ${BURST} Outlook edits: delta requests`,
            value: burst.deltaReads,
            unit: 'requests',
            target: { op: '<=', value: 2 },
          },
          // The user's own requests: 5 $batch and the 100 PATCHes inside them (Graph logs those too).
          {
            name: `burst of ${BURST} Outlook edits: Graph requests by the sync`,
            value: burst.graphRequests - BURST - BURST / 20,
            unit: 'requests',
          },
          {
            name: `burst of ${BURST} Outlook edits: echo writes to Graph`,
            value: burst.graphWrites - BURST - BURST / 20,
            unit: 'writes',
            target: { op: '==', value: 0 },
          },
          {
            name: `burst of ${BURST} Outlook edits: edits in the CRM`,
            value: burstArrived,
            unit: 'edits',
            target: { op: '==', value: BURST },
          },
        ],
        raw: { outlookEdits, crmEdits, burst },
      };
    } finally {
      await stack.stop();
    }
  },
};

/** Clears both request logs, makes the change, waits until the stack is quiet, reads the logs. */
async function measure(stack: BenchStack, change: () => Promise<unknown>) {
  stack.graph.admin.clearRequests();
  stack.crm.admin.clearRequests();
  await change();
  await stack.settle();
  const graph = stack.graph.admin.requests();
  const crm = stack.crm.admin.requests();
  return {
    graphRequests: graph.total,
    graphWrites: countWhere(graph.byRoute, isContactWrite),
    deltaReads: countWhere(graph.byRoute, isDeltaRead),
    crmRequests: crm.api.total,
    crmWrites: countWhere(crm.api.counts, isWrite),
    graphByRoute: graph.byRoute,
    crmByRoute: crm.api.counts,
  };
}
