import { outlookContacts } from '../../local/demo/data.js';
import { startBenchStack } from '../support/bench-stack.js';
import type { Scenario } from '../support/figure.js';
import { now, summarise, waitFor } from '../support/measure.js';

const MAILBOX = 'latency@contoso.example';
const SAMPLES = 20;

/**
 * From a user's edit to the moment the other side holds it, both directions, one edit at a
 * time with the stack quiet in between. Notification delivery delay 0; queues polled every
 * 25 ms (the Functions host polls storage queues with a back-off; Service Bus pushes).
 * Arrival is watched in process through the emulators' admin views, so watching costs no traffic.
 */
export const e2eLatency: Scenario = {
  name: 'e2e-latency',
  async run({ tlsDir, log }) {
    const stack = await startBenchStack(tlsDir, { graph: { notificationDelayMs: 0 } });
    try {
      stack.graph.admin.createMailbox({ mail: MAILBOX });
      await stack.outlook.createContacts(MAILBOX, outlookContacts(SAMPLES, 9, 'latency.example'));
      await stack.register(MAILBOX);
      await stack.settle();
      const pairs = stack.graph.admin.contacts(MAILBOX).map((o) => {
        const address = (o.emailAddresses as { address: string }[])[0]?.address;
        const crm = stack.crm.admin.contacts().find((c) => c.emails[0]?.address === address);
        if (!crm) throw new Error(`no CRM contact for ${address}`);
        return { outlookId: String(o.id), crmId: crm.id };
      });
      const toCrm: number[] = [];
      const toOutlook: number[] = [];
      for (const [i, pair] of pairs.entries()) {
        const jobTitle = `Makler ${i}`;
        const start = now();
        await stack.outlook.updateContact(MAILBOX, pair.outlookId, { jobTitle });
        await waitFor(
          () => stack.crm.admin.contacts().some((c) => c.id === pair.crmId && c.position === jobTitle),
          30_000,
        );
        toCrm.push(now() - start);
        await stack.settle();

        const position = `Vertrieb ${i}`;
        const start2 = now();
        stack.crm.admin.editAsUser(pair.crmId, { position });
        await waitFor(
          () =>
            stack.graph.admin
              .contacts(MAILBOX)
              .some((c) => c.id === pair.outlookId && c.jobTitle === position),
          30_000,
        );
        toOutlook.push(now() - start2);
        await stack.settle();
      }
      const a = summarise(toCrm);
      const b = summarise(toOutlook);
      log(`Outlook→CRM p50 ${a.p50.toFixed(0)} ms; CRM→Outlook p50 ${b.p50.toFixed(0)} ms`);
      const round = (ms: number) => Math.round(ms);
      return {
        figures: [
          { name: 'Outlook → CRM p50', value: round(a.p50), unit: 'ms' },
          { name: 'Outlook → CRM p95', value: round(a.p95), unit: 'ms' },
          { name: 'CRM → Outlook p50', value: round(b.p50), unit: 'ms' },
          { name: 'CRM → Outlook p95', value: round(b.p95), unit: 'ms' },
        ],
        raw: { samples: SAMPLES, outlookToCrmMs: toCrm, crmToOutlookMs: toOutlook },
      };
    } finally {
      await stack.stop();
    }
  },
};
