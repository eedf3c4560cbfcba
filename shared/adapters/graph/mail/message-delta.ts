import { parseDeltaEntry } from '../../../mail/message.js';
import type { MailDeltaPage } from '../../../mail-sync/ports.js';
import { deltaPages } from '../delta-pages.js';
import type { GraphCaller } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { MESSAGE_SELECT, mailPaths } from './mail-paths.js';

/**
 * One delta round of a mail folder ("Get incremental changes to messages in a folder"), walked
 * as every delta round is (delta-pages.ts: nextLink/deltaLink replayed as they are, the
 * `$select` travelling inside them, `Prefer: odata.maxpagesize`, a 410 restarting the round on
 * any page), with immutable ids (graph-call.ts `api`). Every item is validated on its own
 * (shared/mail/message.ts parseDeltaEntry): a malformed message becomes an `invalid` entry
 * instead of failing the page.
 *
 * No `$filter` on receivedDateTime: delta's filter "returns only up to 5,000 messages", so the
 * first-import window is applied by the mail rules (shared/mail/window.ts) instead.
 */
const CONTEXT = 'GET /users/{m}/mailFolders/{f}/messages/delta';

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
  for await (const page of deltaPages(graph, mailbox, CONTEXT, fullRound, deltaLink, pageSize)) {
    const { items, ...cursor } = page;
    yield { entries: items.map(parseDeltaEntry), ...cursor };
  }
}
