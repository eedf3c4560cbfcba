import { z } from 'zod';
import { SyncError } from '../../../errors.js';
import type { MailAttachment } from '../../../mail/classify.js';
import type { MessageContent } from '../../../mail-sync/ports.js';
import { classifyGraphError } from '../classify-graph-error.js';
import { api, callGraph, type GraphCaller, IMMUTABLE_ID } from '../graph-call.js';
import { paths, withQuery } from '../graph-paths.js';
import { mailPaths } from './mail-paths.js';

/**
 * Bodies of linked mail, in a second step (issue 17, item 3): `$batch` of at most 20 GETs
 * ("Combine multiple HTTP requests using JSON batching"), each asking for the text body
 * (`Prefer: outlook.body-content-type="text"`, "Get message") and, for a message with
 * attachments, a second step for their metadata only (`$select=name,contentType,size`: the
 * content never leaves Exchange). The outer request's headers do not reach the steps, so each
 * step carries its own `Prefer`. A step answered 429 (Outlook throttles steps one by one) is
 * sent again after the wait Graph asked for, until the scheduler's attempts are used up; a
 * message gone meanwhile (404) is left out of the answer; any other failure of a step fails
 * the call with that step's error, so the caller retries the whole round later.
 */
const MAX_BATCH = 20;
const STEP_PREFER = `${IMMUTABLE_ID}, outlook.body-content-type="text"`;

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
type InnerResponse = z.infer<typeof batchResponseSchema>['responses'][number];

const bodySchema = z
  .object({
    body: z.object({ contentType: z.string(), content: z.string() }).loose().nullable().optional(),
  })
  .loose();
const attachmentsSchema = z.object({
  value: z.array(
    z
      .object({
        name: z.string().nullable().optional(),
        contentType: z.string().nullable().optional(),
        size: z.number().int().nonnegative().nullable().optional(),
      })
      .loose(),
  ),
});
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

interface Step {
  id: string;
  method: 'GET';
  url: string;
  headers: Record<string, string>;
}

/** A text body as Graph sends it; should an HTML one come anyway, its tags are dropped. */
function textOf(body: z.output<typeof bodySchema>['body']): string | null {
  if (!body) return null;
  if (body.contentType.toLowerCase() !== 'html') return body.content;
  return body.content
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .trim();
}

export async function messageContents(
  graph: GraphCaller,
  mailbox: string,
  ids: readonly string[],
  withAttachments: ReadonlySet<string>,
): Promise<Map<string, MessageContent>> {
  const steps: Step[] = [];
  ids.forEach((id, i) => {
    steps.push({
      id: `b${i}`,
      method: 'GET',
      url: withQuery(mailPaths.message(mailbox, id), { $select: 'body' }),
      headers: { Prefer: STEP_PREFER },
    });
    if (withAttachments.has(id)) {
      steps.push({
        id: `a${i}`,
        method: 'GET',
        url: withQuery(mailPaths.attachments(mailbox, id), { $select: 'name,contentType,size' }),
        headers: { Prefer: IMMUTABLE_ID },
      });
    }
  });
  const answers = new Map<string, InnerResponse>();
  const chunks: Step[][] = [];
  for (let i = 0; i < steps.length; i += MAX_BATCH) chunks.push(steps.slice(i, i + MAX_BATCH));
  await Promise.all(chunks.map((chunk) => runChunk(graph, mailbox, chunk, answers)));

  const contents = new Map<string, MessageContent>();
  ids.forEach((id, i) => {
    const body = answers.get(`b${i}`);
    if (!body || body.status === 404) return;
    const parsed = bodySchema.safeParse(body.body);
    if (!parsed.success) throw invalid('body');
    let attachments: MailAttachment[] = [];
    const listed = answers.get(`a${i}`);
    if (listed && listed.status !== 404) {
      const list = attachmentsSchema.safeParse(listed.body);
      if (!list.success) throw invalid('attachments');
      attachments = list.data.value.map((a) => ({
        name: a.name ?? '',
        contentType: a.contentType ?? 'application/octet-stream',
        size: a.size ?? 0,
      }));
    }
    contents.set(id, { bodyText: textOf(parsed.data.body), attachments });
  });
  return contents;
}

async function runChunk(
  graph: GraphCaller,
  mailbox: string,
  chunk: Step[],
  answers: Map<string, InnerResponse>,
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
    const retry: Step[] = [];
    let wait = 0;
    for (const step of pending) {
      const response = answer.responses.find((r) => r.id === step.id);
      if (!response) throw new SyncError('transient', 'batch_no_answer', `no answer for step ${step.id}`);
      if (response.status >= 200 && response.status < 300) {
        answers.set(step.id, response);
        continue;
      }
      if (response.status === 404 && stepError(response).kind === 'notFound') {
        // The message itself is gone (ErrorItemNotFound); a mailbox that cannot be read is not.
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
    if (retry.length > 0) {
      graph.scheduler.pause(mailbox, wait);
    }
    pending = retry;
  }
}

function stepError(response: InnerResponse): SyncError {
  const parsed = errorSchema.safeParse(response.body);
  const code = parsed.success ? parsed.data.error.code : `http_${response.status}`;
  const kind = classifyGraphError(response.status, code, {
    message: parsed.success ? parsed.data.error.message : undefined,
  });
  return new SyncError(
    kind,
    code,
    `GET /users/{m}/messages/{id} (in $batch) failed with ${response.status} ${code}`,
    {
      status: response.status,
    },
  );
}

function invalid(what: string): SyncError {
  return new SyncError(
    'permanent',
    'graph_invalid_response',
    `GET /users/{m}/messages/{id} (in $batch) answered with an unexpected ${what}`,
  );
}

function header(response: InnerResponse, name: string): string | null {
  const entry = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1] ?? null;
}
