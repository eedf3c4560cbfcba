import { z } from 'zod';
import { SyncError } from '../../../errors.js';
import type { MailAttachment } from '../../../mail/classify.js';
import type { MessageContent } from '../../../mail-sync/ports.js';
import type { GraphCaller } from '../graph-call.js';
import { IMMUTABLE_ID } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { type BatchGetStep, batchGet } from './batch-get.js';
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
const STEP_PREFER = `${IMMUTABLE_ID}, outlook.body-content-type="text"`;

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
  const steps: BatchGetStep[] = [];
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
  const answers = await batchGet(graph, mailbox, steps);

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

function invalid(what: string): SyncError {
  return new SyncError(
    'permanent',
    'graph_invalid_response',
    `GET /users/{m}/messages/{id} (in $batch) answered with an unexpected ${what}`,
  );
}
