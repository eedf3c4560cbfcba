import { z } from 'zod';
import { isSyncError } from '../../../errors.js';
import { parseDeltaEntry } from '../../../mail/message.js';
import type { MailDeltaPage } from '../../../mail-sync/ports.js';
import { api, callGraph, type GraphCaller } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { MESSAGE_SELECT, mailPaths } from './mail-paths.js';

/**
 * One delta round of a mail folder ("Get incremental changes to messages in a folder"), page
 * by page, as contact-delta.ts does for contacts: nextLink/deltaLink replayed as they are (the
 * `$select` travels inside them), `Prefer: odata.maxpagesize` on every request, immutable ids
 * (graph-call.ts `api`). Every item is validated on its own (shared/mail/message.ts
 * parseDeltaEntry): a malformed message becomes an `invalid` entry instead of failing the page.
 *
 * No `$filter` on receivedDateTime: delta's filter "returns only up to 5,000 messages", so the
 * first-import window is applied by the mail rules (shared/mail/window.ts) instead.
 *
 * An expired sync state (410 / SyncStateNotFound) restarts the round from scratch, on any
 * page, at most twice; pages from then on say `restarted: true`.
 */
const MAX_RESTARTS = 2;
const CONTEXT = 'GET /users/{m}/mailFolders/{f}/messages/delta';

const pageSchema = z
  .object({
    value: z.array(z.unknown()),
    '@odata.nextLink': z.string().min(1).optional(),
    '@odata.deltaLink': z.string().min(1).optional(),
  })
  .loose();

export async function* messageDelta(
  graph: GraphCaller,
  mailbox: string,
  folderId: string,
  deltaLink: string | null,
  pageSize: number,
): AsyncGenerator<MailDeltaPage> {
  const fullRound = withQuery(mailPaths.messageDelta(mailbox, folderId), {
    $select: MESSAGE_SELECT.join(','),
  });
  let url = deltaLink ?? fullRound;
  let restarted = false;
  let restarts = 0;
  for (;;) {
    let page: z.output<typeof pageSchema>;
    try {
      page = await callGraph(
        graph,
        mailbox,
        CONTEXT,
        (client) => api(client, url, `odata.maxpagesize=${pageSize}`).get(),
        pageSchema,
      );
    } catch (error) {
      if (!isSyncError(error, 'deltaExpired') || restarts >= MAX_RESTARTS) throw error;
      restarts++;
      restarted = true;
      url = fullRound;
      continue;
    }
    const next = page['@odata.nextLink'];
    const done = page['@odata.deltaLink'];
    yield {
      entries: page.value.map(parseDeltaEntry),
      restarted,
      ...(next === undefined && done !== undefined ? { deltaLink: done } : {}),
    };
    if (next === undefined) return;
    url = next;
  }
}
