import type { Violation } from './invariants.js';
import type { Run } from './model.js';

/**
 * DESIGN section 9, rule 3 at the end of a run: with nobody changing anything, a reconcile on
 * a drained stack writes nothing on either side. The request logs are cleared first; `$batch`
 * envelopes are left out (their parts are logged one by one).
 */
const WRITE = /^(POST|PATCH|PUT|DELETE) /;

export async function writesDuring(
  run: Run,
  action: () => Promise<Violation | undefined>,
): Promise<Violation[]> {
  run.stack.graph.admin.clearRequests();
  run.stack.crm.admin.clearRequests();
  const failed = await action();
  if (failed) return [failed];
  const graph = run.stack.graph.admin
    .requests()
    .entries.filter((e) => WRITE.test(e.route) && e.route !== 'POST /$batch')
    .map((e) => `${e.route} ${e.status}`);
  const crm = run.stack.crm.admin
    .requests()
    .entries.filter((e) => !e.admin && WRITE.test(`${e.method} `))
    .map((e) => `${e.method} ${e.route} ${e.status}`);
  if (graph.length + crm.length === 0) return [];
  return [
    {
      invariant: 'no write without a user change',
      detail: `reconcile on a quiet stack wrote: graph [${graph.join(', ')}], crm [${crm.join(', ')}]`,
    },
  ];
}
