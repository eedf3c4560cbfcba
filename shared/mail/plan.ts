import { isDeepStrictEqual } from 'node:util';
import { type ClassifyContext, classifyMessage, type SkipReason } from './classify.js';
import type { CrmMail, CrmMailInput } from './crm-mail.js';
import { mergeCopy, withoutMailbox } from './merge.js';
import type { DeltaEntry } from './message.js';

/**
 * One mailbox's delta page of one folder → what to write (issue 17, items 2–4). Pure: what
 * the CRM holds for the keys involved (`current`) and which of this mailbox's messages were
 * linked before (`known`, our own store) are passed in. Not wired yet: the executor, the
 * store and the body fetch come with the mail pipeline.
 *
 * - A linked message is merged into the CRM e-mail of its key (upsert), unless that changes
 *   nothing: replaying a page (a duplicate notification, a retry after a crash) writes nothing.
 * - A message that leaves the folder (`@removed`), or that now stays out (say, categorised
 *   private after it was synced), only takes this mailbox out of the e-mail's list; the CRM
 *   e-mail stays (item 4). A move is a removal in one folder's page and an arrival in
 *   another's, in either order; the mailbox ends up listed with the new folder.
 * - Bodies are asked for only for linked mail whose visibility shows them and that has none.
 */

export interface KnownCopy {
  key: string;
  folder: string;
}

export type MailAction =
  | { kind: 'upsert'; key: string; mail: CrmMailInput }
  | { kind: 'remember'; messageId: string; key: string; folder: string }
  | { kind: 'forget'; messageId: string }
  | { kind: 'fetchBody'; messageId: string; key: string }
  | { kind: 'skip'; messageId: string; reason: SkipReason | 'invalid' };

export interface PagePlanInput {
  entries: readonly DeltaEntry[];
  context: ClassifyContext;
  /** This mailbox's messages linked before, by message id (immutable ids). */
  known: ReadonlyMap<string, KnownCopy>;
  /** What the CRM holds (or our copy of it) for every key the page may touch; absent = none. */
  current: ReadonlyMap<string, CrmMail>;
}

const inputOf = ({ key: _key, ...input }: CrmMail): CrmMailInput => input;

export function planMailPage(input: PagePlanInput): MailAction[] {
  const { context } = input;
  const working = new Map(input.current);
  const touched = new Set<string>();
  const actions: MailAction[] = [];

  // What this page has remembered or forgotten so far, over what the store knew before it.
  const known = new Map(input.known);
  const leave = (messageId: string, removedHere: boolean) => {
    const copy = known.get(messageId);
    if (!copy) return;
    // With immutable ids a move keeps the id: a removal from a folder the copy has already
    // left (its arrival elsewhere came first) is stale and changes nothing.
    if (removedHere && copy.folder !== context.folder) return;
    const mail = working.get(copy.key);
    // Only while the e-mail still lists the folder being left: a move's arrival in another
    // synced folder may have been processed first (its folder's page came earlier).
    const entry = mail?.mailboxes.find((m) => m.accountId === context.accountId);
    if (mail && entry?.folder === copy.folder) {
      working.set(copy.key, withoutMailbox(mail, context.accountId));
      touched.add(copy.key);
    }
    known.delete(messageId);
  };

  for (const entry of input.entries) {
    if (entry.kind === 'invalid') {
      actions.push({ kind: 'skip', messageId: entry.id ?? '(no id)', reason: 'invalid' });
      continue;
    }
    if (entry.kind === 'removed') {
      leave(entry.id, true);
      continue;
    }
    const { message } = entry;
    const result = classifyMessage(message, context);
    if (result.kind === 'skipped') {
      actions.push({ kind: 'skip', messageId: message.id, reason: result.reason });
      leave(message.id, false);
      continue;
    }
    const merged = mergeCopy(result.key, working.get(result.key) ?? null, result.copy);
    working.set(result.key, merged);
    touched.add(result.key);
    known.set(message.id, { key: result.key, folder: context.folder });
    if (merged.visibility === 'full' && merged.bodyText === null && result.copy.bodyText === undefined) {
      actions.push({ kind: 'fetchBody', messageId: message.id, key: result.key });
    }
  }

  const upserts: MailAction[] = [...touched]
    .filter((key) => !isDeepStrictEqual(working.get(key), input.current.get(key)))
    .map((key) => ({ kind: 'upsert', key, mail: inputOf(working.get(key) as CrmMail) }));
  // Only the net change of the store: a page that links and then drops a message leaves it as it was.
  const forgets: MailAction[] = [...input.known.keys()]
    .filter((messageId) => !known.has(messageId))
    .map((messageId) => ({ kind: 'forget', messageId }));
  const remembers: MailAction[] = [...known]
    .filter(([messageId, copy]) => !isDeepStrictEqual(input.known.get(messageId), copy))
    .map(([messageId, copy]) => ({ kind: 'remember', messageId, ...copy }));
  // Upserts first: the store remembers a copy only once the CRM has it ("save the cursor last").
  return [...upserts, ...remembers, ...forgets, ...actions];
}
