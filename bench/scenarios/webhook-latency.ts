import { startBenchStack } from '../support/bench-stack.js';
import type { Scenario } from '../support/figure.js';
import { instrument } from '../support/instrument.js';
import { now, summarise } from '../support/measure.js';

const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000);
/** A webhook too slow to take 10,000 in this time is measured on what it took until then. */
const CAP_MS = Number(process.env.BENCH_WEBHOOK_CAP_S ?? 60) * 1000;
const CONCURRENCY = 50;
const WARM_UP = 200;
/** Graph counts a delivery slower than this as slow (and drops endpoints that stay slow). */
const GRAPH_SLOW_MS = 2_900;
const MAILBOX = 'webhook@contoso.example';

/**
 * How fast POST /api/graph/notifications acknowledges: 10,000 single-notification POSTs, 50
 * in flight, each with the subscription id and clientState of a registered account and a
 * distinct contact and etag (so none is dropped as a repeat). The queue workers run and drain
 * the enqueued hints at the same time, as they would in production.
 */
export const webhookLatency: Scenario = {
  name: 'webhook',
  async run({ tlsDir, log }) {
    const stack = await startBenchStack(tlsDir);
    try {
      const mailbox = stack.graph.admin.createMailbox({ mail: MAILBOX });
      await stack.register(MAILBOX);
      await stack.settle();
      const subscription = stack.graph.admin.subscriptions()[0];
      if (!subscription?.clientState) throw new Error('the account has no subscription');
      const url = `${stack.host.url}/api/graph/notifications`;
      const post = async (i: number) => {
        const id = `AAMkAD-bench-${i}`;
        const body = {
          value: [
            {
              subscriptionId: subscription.id,
              clientState: subscription.clientState,
              changeType: 'updated',
              resource: `Users/${mailbox.id}/Contacts/${id}`,
              resourceData: {
                '@odata.type': '#Microsoft.Graph.Contact',
                id,
                '@odata.etag': `W/"bench-${i}"`,
              },
              tenantId: mailbox.tenantId,
            },
          ],
        };
        const start = now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        return { ms: now() - start, status: response.status };
      };
      const runAll = async (count: number, offset: number) => {
        const start = now();
        const latencies: number[] = [];
        const statuses: Record<string, number> = {};
        let next = 0;
        const worker = async () => {
          while (next < count && now() - start < CAP_MS) {
            const i = offset + next++;
            const { ms, status } = await post(i);
            latencies.push(ms);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return { latencies, statuses, wallMs: now() - start };
      };
      await runAll(WARM_UP, 0);
      const probe = instrument(stack);
      const { latencies, statuses, wallMs } = await runAll(NOTIFICATIONS, WARM_UP);
      const cost = probe.stop();
      const sent = latencies.length;
      const stats = summarise(latencies);
      const slow = latencies.filter((ms) => ms > GRAPH_SLOW_MS).length;
      const not202 = sent - (statuses['202'] ?? 0);
      log(`p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms, ${Math.round(wallMs)} ms total`);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      return {
        figures: [
          {
            name: `notifications sent (of ${NOTIFICATIONS}, cap ${CAP_MS / 1000} s)`,
            value: sent,
            unit: '',
            target: { op: '==', value: NOTIFICATIONS },
          },
          { name: 'acknowledgement p50', value: round(stats.p50), unit: 'ms' },
          {
            name: 'acknowledgement p99',
            value: round(stats.p99),
            unit: 'ms',
            target: { op: '<', value: 100 },
          },
          {
            name: `slow deliveries (> ${GRAPH_SLOW_MS} ms)`,
            value: slow,
            unit: '',
            target: { op: '==', value: 0 },
          },
          { name: 'answers other than 202', value: not202, unit: '', target: { op: '==', value: 0 } },
          {
            name: 'notifications acknowledged per second',
            value: Math.round((sent / wallMs) * 1000),
            unit: '/s',
          },
        ],
        raw: {
          notifications: NOTIFICATIONS,
          sent,
          concurrency: CONCURRENCY,
          latencyMs: stats,
          statuses,
          wallMs,
          ...cost,
        },
      };
    } finally {
      await stack.abort();
    }
  },
};
