import type { GraphMessage } from '../../../mail/message.js';
import { graphMessageSchema } from '../../../mail/message.js';
import { firstIssue, type GraphCaller, IMMUTABLE_ID } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { batchGet } from './batch-get.js';
import { MESSAGE_SELECT, mailPaths } from './mail-paths.js';

/**
 * Messages read again by id, with the fields delta gives (`$select`, immutable ids), 20 per
 * `$batch`: for mail of the window that linked no contact then and may now (a contact gained
 * an address). A message gone meanwhile is absent; one that does not validate is absent too,
 * with the reason in `invalid`.
 */
export async function messagesById(
  graph: GraphCaller,
  mailbox: string,
  ids: readonly string[],
): Promise<{ found: Map<string, GraphMessage>; invalid: { id: string; reason: string }[] }> {
  const answers = await batchGet(
    graph,
    mailbox,
    ids.map((id, i) => ({
      id: `m${i}`,
      method: 'GET' as const,
      url: withQuery(mailPaths.message(mailbox, id), { $select: MESSAGE_SELECT.join(',') }),
      headers: { Prefer: IMMUTABLE_ID },
    })),
  );
  const found = new Map<string, GraphMessage>();
  const invalid: { id: string; reason: string }[] = [];
  ids.forEach((id, i) => {
    const answer = answers.get(`m${i}`);
    if (!answer || answer.status === 404) return;
    const parsed = graphMessageSchema.safeParse(answer.body);
    if (parsed.success) found.set(id, parsed.data);
    else invalid.push({ id, reason: firstIssue(parsed.error) });
  });
  return { found, invalid };
}
