import { z } from 'zod';
import { SyncError } from '../../../errors.js';
import { classifyGraphError } from '../classify-graph-error.js';
import { api, callGraph, type GraphCaller } from '../graph-call.js';
import { paths } from '../graph-paths.js';

/**
 * GETs through JSON `$batch` ("Combine multiple HTTP requests using JSON batching"): at most
 * 20 steps per batch, each with its own headers (the outer request's do not reach the steps).
 * A step answered 429 (Outlook throttles steps one by one) is sent again after the wait Graph
 * asked for, until the scheduler's attempts are used up; an item gone (404 ErrorItemNotFound)
 * is answered as it came, for the caller to leave out; any other failing step fails the call
 * with that step's error (a SyncError of its kind).
 */
export const MAX_BATCH = 20;

export interface BatchGetStep {
  id: string;
  method: 'GET';
  url: string;
  headers: Record<string, string>;
}

const batchResponseSchema = z.object({
  responses: z.array(
    z
      .object({
        id: z.string(),
        status: z.number().int(),
        headers: z.record(z.string(), z.string()).nullable().optional(),
        body: z.unknown().optional(),
      })
      .loose(),
  ),
});
export type BatchAnswer = z.infer<typeof batchResponseSchema>['responses'][number];

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

export async function batchGet(
  graph: GraphCaller,
  mailbox: string,
  steps: readonly BatchGetStep[],
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  const chunks: BatchGetStep[][] = [];
  for (let i = 0; i < steps.length; i += MAX_BATCH) chunks.push(steps.slice(i, i + MAX_BATCH));
  await Promise.all(chunks.map((chunk) => runChunk(graph, mailbox, chunk, answers)));
  return answers;
}

async function runChunk(
  graph: GraphCaller,
  mailbox: string,
  chunk: BatchGetStep[],
  answers: Map<string, BatchAnswer>,
): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const requests = pending;
    const answer = await callGraph(
      graph,
      mailbox,
      'POST /$batch (GET /users/{m}/messages/{id})',
      (client) => api(client, paths.batch()).post({ requests }),
      batchResponseSchema,
      { units: requests.length },
    );
    const retry: BatchGetStep[] = [];
    let wait = 0;
    for (const step of pending) {
      const response = answer.responses.find((r) => r.id === step.id);
      if (!response) throw new SyncError('transient', 'batch_no_answer', `no answer for step ${step.id}`);
      if (response.status >= 200 && response.status < 300) {
        answers.set(step.id, response);
        continue;
      }
      if (response.status === 404 && stepError(response).kind === 'notFound') {
        // The item itself is gone (ErrorItemNotFound); a mailbox that cannot be read is not.
        answers.set(step.id, response);
        continue;
      }
      const delay = graph.scheduler.retryDelay(response.status, header(response, 'retry-after'), attempt);
      if (delay !== undefined) {
        retry.push(step);
        wait = Math.max(wait, delay);
        continue;
      }
      throw stepError(response);
    }
    if (retry.length > 0) graph.scheduler.pause(mailbox, wait);
    pending = retry;
  }
}

function stepError(response: BatchAnswer): SyncError {
  const parsed = errorSchema.safeParse(response.body);
  const code = parsed.success ? parsed.data.error.code : `http_${response.status}`;
  const kind = classifyGraphError(response.status, code, {
    message: parsed.success ? parsed.data.error.message : undefined,
  });
  return new SyncError(
    kind,
    code,
    `GET /users/{m}/messages/{id} (in $batch) failed with ${response.status} ${code}`,
    { status: response.status },
  );
}

function header(response: BatchAnswer, name: string): string | null {
  const entry = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1] ?? null;
}
