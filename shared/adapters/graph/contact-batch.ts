import { z } from 'zod';
import { type ExchangeContact, graphContactSchema } from '../../contact/exchange-contact.js';
import { SyncError } from '../../errors.js';
import { classifyGraphError, scrubSecrets } from './classify-graph-error.js';
import { mayHaveCommitted } from './create-retry.js';
import { api, callGraph, firstIssue, type GraphCaller, IMMUTABLE_ID } from './graph-call.js';
import { paths, weakEtag } from './graph-paths.js';

/**
 * JSON `$batch` for bulk pushes: at most 20 requests per batch (Graph's limit), each answered
 * on its own. Outlook throttles inner requests individually, so one may come back 429 while
 * its neighbours succeed: those are sent again, after the mailbox waited as Graph asked,
 * until they succeed or the scheduler's attempts are used up. Results keep the input order.
 */
export const MAX_BATCH = 20;

export interface BatchStep {
  method: 'POST' | 'PATCH';
  /** Relative to the version: `/users/{m}/…`. */
  url: string;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * One step with a JSON body; `If-Match` when a changeKey must still be current. The outer
 * request's headers do not reach the steps, so each asks for immutable ids itself.
 */
export function batchStep(
  method: BatchStep['method'],
  url: string,
  body: Record<string, unknown>,
  changeKey?: string,
): BatchStep {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Prefer: IMMUTABLE_ID };
  if (changeKey !== undefined) headers['If-Match'] = weakEtag(changeKey);
  return { method, url, body, headers };
}

export type BatchItemResult = { ok: true; contact: ExchangeContact } | { ok: false; error: SyncError };

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).nullable().optional(),
      body: z.unknown().optional(),
    }),
  ),
});
type InnerResponse = z.infer<typeof batchResponseSchema>['responses'][number];

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

/**
 * `recover` is given for creates: a step (or the whole `$batch`) that failed with a 5xx or no
 * answer may have been carried out, so before it is sent again the contact is looked up by
 * its marker (create-retry.ts); a 429 step is resent as it is, Graph never ran it. Steps that
 * succeeded are never sent again.
 */
export async function runBatch(
  graph: GraphCaller,
  mailbox: string,
  context: string,
  steps: BatchStep[],
  recover?: (index: number) => Promise<ExchangeContact | null>,
): Promise<BatchItemResult[]> {
  const results: (BatchItemResult | undefined)[] = new Array(steps.length);
  const chunks: number[][] = [];
  for (let i = 0; i < steps.length; i += MAX_BATCH) {
    chunks.push(steps.slice(i, i + MAX_BATCH).map((_, j) => i + j));
  }
  // All chunks are handed to the scheduler at once; it paces them to the mailbox's budget.
  await Promise.all(
    chunks.map((chunk) => runChunk({ graph, mailbox, context, steps, recover }, chunk, results)),
  );
  return results.map(
    (r) => r ?? { ok: false, error: new SyncError('transient', 'batch_no_answer', context) },
  );
}

interface ChunkRun {
  graph: GraphCaller;
  mailbox: string;
  context: string;
  steps: BatchStep[];
  recover: ((index: number) => Promise<ExchangeContact | null>) | undefined;
}

async function runChunk(
  run: ChunkRun,
  chunk: number[],
  results: (BatchItemResult | undefined)[],
): Promise<void> {
  const { graph, mailbox, context, steps, recover } = run;
  let pending = chunk;
  let unsure: number[] = []; // may have been carried out: look before resending
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (recover && unsure.length > 0) {
      const found = await Promise.all(unsure.map((index) => recover(index)));
      unsure.forEach((index, i) => {
        const contact = found[i];
        if (contact) results[index] = { ok: true, contact };
      });
      pending = pending.filter((index) => results[index] === undefined);
      unsure = [];
      if (pending.length === 0) return;
    }
    const requests = pending.map((index) => ({ id: String(index), ...steps[index] }));
    let answer: z.infer<typeof batchResponseSchema>;
    try {
      answer = await callGraph(
        graph,
        mailbox,
        'POST /$batch',
        (client) => api(client, paths.batch()).post({ requests }),
        batchResponseSchema,
        { units: requests.length, idempotent: recover === undefined },
      );
    } catch (error) {
      // Without `recover` the scheduler has retried already; with it, look before resending.
      const delay =
        recover && mayHaveCommitted(error)
          ? graph.scheduler.retryDelay(error.status ?? 503, null, attempt)
          : undefined;
      if (delay === undefined) throw error;
      graph.scheduler.pause(mailbox, delay);
      unsure = pending;
      continue;
    }
    const retry: number[] = [];
    let wait = 0;
    for (const index of pending) {
      const response = answer.responses.find((r) => r.id === String(index));
      const delay =
        response && graph.scheduler.retryDelay(response.status, header(response, 'retry-after'), attempt);
      if (response && delay !== undefined) {
        retry.push(index);
        if (recover && response.status !== 429) unsure.push(index);
        wait = Math.max(wait, delay);
      } else {
        results[index] = response ? itemResult(context, response) : missing(context);
      }
    }
    if (retry.length > 0) graph.scheduler.pause(mailbox, wait);
    pending = retry;
  }
}

function itemResult(context: string, response: InnerResponse): BatchItemResult {
  if (response.status >= 200 && response.status < 300) {
    const contact = graphContactSchema.safeParse(response.body);
    if (contact.success) return { ok: true, contact: contact.data };
    const reason = `${context} answered with an unexpected body: ${firstIssue(contact.error)}`;
    return { ok: false, error: new SyncError('permanent', 'graph_invalid_response', reason) };
  }
  const parsed = errorBodySchema.safeParse(response.body);
  const code = parsed.success ? parsed.data.error.code : `http_${response.status}`;
  const detail =
    parsed.success && parsed.data.error.message ? `: ${scrubSecrets(parsed.data.error.message)}` : '';
  const kind = classifyGraphError(response.status, code, {
    message: parsed.success ? parsed.data.error.message : undefined,
  });
  const message = `${context} (in $batch) failed with ${response.status} ${code}${detail}`;
  return { ok: false, error: new SyncError(kind, code, message, { status: response.status }) };
}

function missing(context: string): BatchItemResult {
  return {
    ok: false,
    error: new SyncError('transient', 'batch_no_answer', `${context}: no answer in the $batch`),
  };
}

function header(response: InnerResponse, name: string): string | null {
  const entry = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1] ?? null;
}
