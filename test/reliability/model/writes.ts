import type { Violation } from './invariants.js';
import type { Lane } from './sequence.js';
import { tokenOf } from './values.js';

/**
 * DESIGN section 9, rule 3 at the end of a batch: with nobody changing anything, a reconcile
 * on a drained stack writes nothing on either side. The request logs are cleared first; `$batch`
 * envelopes are left out (their parts are logged one by one). Each write is charged to the
 * sequence it touched: Graph logs the mailbox, a CRM write names the contact (whose token names
 * the sequence). A write that names neither (a CRM create) is charged to the first sequence,
 * saying so. Returns the violations per sequence, in the order of `lanes`.
 */
const WRITE = /^(POST|PATCH|PUT|DELETE) /;
const CRM_ITEM = /\/contacts\/([^/?]+)/;

export async function writesDuring(
  lanes: readonly Lane[],
  action: () => Promise<Violation | undefined>,
): Promise<Violation[][]> {
  const stack = (lanes[0] as Lane).run.stack;
  stack.graph.admin.clearRequests();
  stack.crm.admin.clearRequests();
  // Which sequence each CRM contact belongs to, read before the reconcile (it may delete some).
  const laneOfCrmId = new Map<string, number>();
  for (const contact of stack.crm.admin.contacts()) {
    const token = tokenOf(contact.firstName);
    const lane = lanes.findIndex((l) => token?.startsWith(l.model.runTag));
    if (lane >= 0) laneOfCrmId.set(contact.id, lane);
  }
  const failed = await action();
  if (failed) return lanes.map(() => [failed]);
  const graph: string[][] = lanes.map(() => []);
  const crm: string[][] = lanes.map(() => []);
  const unknown: string[] = [];
  for (const e of stack.graph.admin.requests().entries) {
    if (!WRITE.test(e.route) || e.route === 'POST /$batch') continue;
    const lane = lanes.findIndex((l) => l.run.mailbox.toLowerCase() === e.mailbox?.toLowerCase());
    (lane >= 0 ? (graph[lane] as string[]) : unknown).push(`graph ${e.route} ${e.status}`);
  }
  for (const e of stack.crm.admin.requests().entries) {
    if (e.admin || !WRITE.test(`${e.method} `)) continue;
    const id = e.path.match(CRM_ITEM)?.[1];
    const lane = id === undefined ? -1 : (laneOfCrmId.get(decodeURIComponent(id)) ?? -1);
    (lane >= 0 ? (crm[lane] as string[]) : unknown).push(`${e.method} ${e.route} ${e.status}`);
  }
  return lanes.map((_, i) => {
    const own = [...(graph[i] as string[]), ...(crm[i] as string[])];
    const charged =
      i === 0 && unknown.length > 0 ? [...own, ...unknown.map((w) => `${w} (no sequence named)`)] : own;
    if (charged.length === 0) return [];
    return [
      {
        invariant: 'no write without a user change',
        detail: `reconcile on a quiet stack wrote: ${charged.join(', ')}`,
      },
    ];
  });
}
