import { startBenchStack } from '../support/bench-stack.js';
import { countWhere } from '../support/counts.js';
import type { Scenario } from '../support/figure.js';
import { now, sampleMemory, summarise, waitFor } from '../support/measure.js';

const MAILBOX = 'mail-import@contoso.example';
/** BENCH_MAIL_MESSAGES overrides the size of the mailbox (issue 17 names 10,000). */
const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 10_000);
const CLIENTS = 300;
const LINKED_SHARE = 0.3;
const LATENCY_SAMPLES = 10;
const BURST = 100;

const isMailRoute = (route: string) => /mailFolders|messages|\$batch|^GET \/users\/\{m\}$/.test(route);

/**
 * Issue 17's performance figures: the first import of a mailbox of MESSAGES mails (30 % with
 * CRM clients, all inside the 90-day window), then single mails one at a time (from the
 * notification to the CRM e-mail), then a burst of 100 mails at once. Graph and CRM requests
 * are read from the emulators' logs; memory is this process's (it also holds both emulators).
 */
export const mailImport: Scenario = {
  name: 'mail-import',
  async run({ tlsDir, log }) {
    const stack = await startBenchStack(tlsDir, {
      graph: {
        notificationDelayMs: 0,
        throttle: { requestsPerWindow: 1_000_000, windowMs: 600_000, concurrency: 4 },
      },
    });
    try {
      stack.graph.admin.createMailbox({ mail: MAILBOX });
      stack.crm.admin.seed(
        Array.from({ length: CLIENTS }, (_, i) => ({
          firstName: 'Kunde',
          lastName: `Nr${i}`,
          emails: [{ address: `kunde${i}@kunden.example`, type: null }],
        })),
      );
      const day = 86_400_000;
      const messages = Array.from({ length: MESSAGES }, (_, i) => {
        const linked = i % Math.round(1 / LINKED_SHARE) === 0;
        const from = linked ? `kunde${i % CLIENTS}@kunden.example` : `absender${i}@fremd.example`;
        return {
          from: { emailAddress: { address: from } },
          subject: `Nachricht ${i}`,
          body: { contentType: 'text', content: `Text der Nachricht ${i}` },
          receivedDateTime: new Date(Date.now() - (i % 80) * day - 60_000).toISOString(),
        };
      });
      for (let i = 0; i < messages.length; i += 1000) await receive(stack, messages.slice(i, i + 1000));
      const linkedCount = messages.filter((m) =>
        m.from.emailAddress.address.endsWith('@kunden.example'),
      ).length;

      stack.graph.admin.clearRequests();
      stack.crm.admin.clearRequests();
      const memory = sampleMemory();
      const t0 = now();
      await stack.register(MAILBOX);
      await stack.settle(900_000);
      const importMs = now() - t0;
      const peak = memory.stop();
      const graph = stack.graph.admin.requests().byRoute;
      const crm = stack.crm.admin.requests().api.counts;
      const graphMail = countWhere(graph, isMailRoute);
      const crmMail = countWhere(crm, (r) => r.includes('/emails'));
      const inCrm = (await (await fetch(`${stack.crm.url}/_emulator/emails`)).json()) as { items: unknown[] };
      log(
        `import: ${inCrm.items.length} of ${linkedCount} linked mails in the CRM in ${Math.round(importMs)} ms`,
      );

      const latencies: number[] = [];
      for (let i = 0; i < LATENCY_SAMPLES; i++) {
        const subject = `Live ${i}`;
        const start = now();
        await receive(stack, [{ from: { emailAddress: { address: `kunde${i}@kunden.example` } }, subject }]);
        await waitFor(
          async () => {
            const all = (await (await fetch(`${stack.crm.url}/_emulator/emails`)).json()) as {
              items: { subject: string }[];
            };
            return all.items.some((m) => m.subject === subject);
          },
          30_000,
          20,
        );
        latencies.push(now() - start);
        await stack.settle();
      }
      const latency = summarise(latencies);

      stack.graph.admin.clearRequests();
      await receive(
        stack,
        Array.from({ length: BURST }, (_, i) => ({
          from: { emailAddress: { address: `kunde${i % CLIENTS}@kunden.example` } },
          subject: `Burst ${i}`,
        })),
      );
      await stack.settle();
      const burstDelta = countWhere(stack.graph.admin.requests().byRoute, (r) =>
        r.includes('/messages/delta'),
      );
      const folders = 2;

      return {
        figures: [
          {
            name: 'mail import: linked mails in the CRM',
            value: inCrm.items.length,
            unit: `of ${linkedCount}`,
            target: { op: '==', value: linkedCount },
          },
          {
            name: 'mail import: Graph requests per linked mail (incl. bodies)',
            value: round2(graphMail / linkedCount),
            unit: 'requests',
            target: { op: '<=', value: 1.1 },
          },
          {
            name: 'mail import: CRM requests per linked mail',
            value: round2(crmMail / linkedCount),
            unit: 'requests',
            target: { op: '<=', value: 1 },
          },
          { name: 'mail import: time', value: Math.round(importMs / 1000), unit: 's' },
          {
            name: 'mail import: process RSS growth (peak)',
            value: peak.rssGrowthMb,
            unit: 'MB',
            target: { op: '<', value: 300 },
          },
          { name: 'mail import: JS heap peak', value: peak.heapPeakMb, unit: 'MB' },
          {
            name: 'new mail → CRM p95 (notification latency 0)',
            value: Math.round(latency.p95),
            unit: 'ms',
            target: { op: '<', value: 2000 },
          },
          {
            name: `burst of ${BURST}: delta requests per folder`,
            value: round2(burstDelta / folders),
            unit: 'requests',
            target: { op: '<=', value: 2 },
          },
        ],
        raw: { messages: MESSAGES, linkedCount, graphByRoute: graph, crmByRoute: crm, latency, memory: peak },
      };
    } finally {
      await stack.abort();
    }
  },
};

const round2 = (n: number) => Math.round(n * 100) / 100;

async function receive(stack: { graph: { url: string } }, messages: Record<string, unknown>[]) {
  const response = await fetch(
    `${stack.graph.url}/_emulator/users/${encodeURIComponent(MAILBOX)}/messages/receive`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
    },
  );
  if (response.status !== 201) throw new Error(`receive failed: ${response.status} ${await response.text()}`);
}
