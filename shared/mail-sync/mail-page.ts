import { isDeepStrictEqual } from 'node:util';
import { SyncError } from '../errors.js';
import type { ClassifyContext } from '../mail/classify.js';
import type { CrmMail } from '../mail/crm-mail.js';
import { emailKey } from '../mail/key.js';
import { participantsOf } from '../mail/participants.js';
import { type MailAction, planMailPage } from '../mail/plan.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { MailDeps } from './deps.js';
import type { KnownCopy, MailDeltaPage, MessageContent, UnlinkedCopy } from './ports.js';
import { type StoredMail, writeMail } from './write-mail.js';

/**
 * One delta page of one folder, carried out (issue 17, items 2–4): planned by planMailPage
 * over what our store holds for the keys it touches, bodies fetched for the linked mail that
 * needs one (one `$batch` per 20), each CRM e-mail written (write-mail.ts), then the known
 * copies recorded. The store's copy list changes only after the CRM has the e-mail, so a
 * crash in between replays the page as echoes (planMailPage writes nothing twice).
 */

/**
 * Bodies are cut where their stored form (ASCII JSON, table-mail.ts: a non-ASCII character
 * takes six) reaches this: the CRM e-mail must still fit our store's row (1 MiB). That is
 * 380,000 characters of plain ASCII text, 63,000 of text that is all umlauts.
 */
export const MAX_STORED_BODY = 380_000;

export function capBody(text: string): string {
  let cost = 0;
  for (let i = 0; i < text.length; i++) {
    cost += text.charCodeAt(i) < 0x7f ? 1 : 6;
    if (cost > MAX_STORED_BODY) return text.slice(0, i);
  }
  return text;
}
const MAX_REPLANS = 5;

export interface PageOutcome {
  upserts: number;
  /** Keys of the CRM e-mails this page wrote. */
  writtenKeys: string[];
  remembered: number;
  forgotten: number;
  skipped: Partial<Record<string, number>>;
  messages: number;
}

export async function processMailPage(
  deps: MailDeps,
  lease: HeldLease,
  mailbox: string,
  page: MailDeltaPage,
  context: ClassifyContext,
  known: Map<string, KnownCopy>,
  /**
   * This account's unlinked copies in our store (kept up to date here): the copies, or only
   * their ids when the caller keeps no more.
   */
  unlinked: Map<string, UnlinkedCopy> | Set<string>,
): Promise<PageOutcome> {
  const { tenantId } = context;
  const current = await loadCurrent(deps, tenantId, page, known);
  const outcome: PageOutcome = {
    upserts: 0,
    writtenKeys: [],
    remembered: 0,
    forgotten: 0,
    skipped: {},
    messages: 0,
  };
  let contents = new Map<string, MessageContent>();
  let actions: MailAction[] = [];
  const written = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    actions = plan(page, context, known, current);
    if (attempt === 0) contents = await fetchContents(deps, mailbox, page, actions);
    const conflict = await writeUpserts(deps, lease, tenantId, actions, contents, current, written);
    if (conflict === null) break;
    if (attempt >= MAX_REPLANS) throw conflictError(conflict);
    // Another mailbox merged into this e-mail meanwhile: plan again from what the store has now.
    const fresh = await deps.mailStore.getMail(tenantId, conflict);
    if (fresh) current.set(conflict, { mail: fresh.value, etag: fresh.etag });
    else current.delete(conflict);
  }
  outcome.upserts = written.size;
  outcome.writtenKeys = [...written];

  const remember = actions.flatMap((a) =>
    a.kind === 'remember' ? [{ messageId: a.messageId, copy: { key: a.key, folder: a.folder } }] : [],
  );
  const forget = actions.flatMap((a) => (a.kind === 'forget' ? [a.messageId] : []));
  if (remember.length > 0 || forget.length > 0) {
    await lease.check();
    await deps.mailStore.applyCopies(context.accountId, remember, forget);
  }
  for (const { messageId, copy } of remember) {
    if (!known.has(messageId)) outcome.remembered++;
    known.set(messageId, copy);
  }
  for (const messageId of forget) if (known.delete(messageId)) outcome.forgotten++;
  for (const action of actions) {
    if (action.kind === 'skip') outcome.skipped[action.reason] = (outcome.skipped[action.reason] ?? 0) + 1;
  }
  await recordUnlinked(deps, lease, page, context, actions, unlinked);
  outcome.messages = page.entries.length;
  return outcome;
}

function plan(
  page: MailDeltaPage,
  context: ClassifyContext,
  known: ReadonlyMap<string, KnownCopy>,
  current: Map<string, StoredMail>,
): MailAction[] {
  const mails = new Map<string, CrmMail>();
  for (const [key, stored] of current) mails.set(key, stored.mail);
  const actions = planMailPage({ entries: page.entries, context, known, current: mails });
  // A copy recorded anew (new to this account, or in another folder) or dropped, whose e-mail
  // our store already holds as planned: a worker died between our store's write and the CRM's
  // (the copies are recorded only after the CRM has the e-mail), or after both. The CRM may
  // lack that state, so it is sent again (a PUT by key: at worst the same e-mail twice). A page
  // replayed after it was done whole changes no copy, so it sends nothing.
  const upserted = new Set(actions.flatMap((a) => (a.kind === 'upsert' ? [a.key] : [])));
  const resend: MailAction[] = [];
  for (const action of actions) {
    const key =
      action.kind === 'remember'
        ? action.key
        : action.kind === 'forget'
          ? known.get(action.messageId)?.key
          : undefined;
    if (key === undefined || upserted.has(key)) continue;
    const stored = mails.get(key);
    if (!stored) continue;
    const { key: _key, ...mail } = stored;
    resend.push({ kind: 'upsert', key, mail });
    upserted.add(key);
  }
  return [...resend, ...actions];
}

/** Our copy of every CRM e-mail the page may touch: its messages' keys and the keys they had. */
async function loadCurrent(
  deps: MailDeps,
  tenantId: string,
  page: MailDeltaPage,
  known: ReadonlyMap<string, KnownCopy>,
): Promise<Map<string, StoredMail>> {
  const keys = new Set<string>();
  for (const entry of page.entries) {
    if (entry.kind === 'message' && entry.message.internetMessageId?.trim()) {
      keys.add(emailKey(tenantId, entry.message.internetMessageId.trim()));
    }
    const id = entry.kind === 'message' ? entry.message.id : entry.id;
    const before = id === null ? undefined : known.get(id);
    if (before) keys.add(before.key);
  }
  const current = new Map<string, StoredMail>();
  const list = [...keys];
  for (let i = 0; i < list.length; i += 16) {
    const rows = await Promise.all(list.slice(i, i + 16).map((key) => deps.mailStore.getMail(tenantId, key)));
    for (const row of rows) if (row) current.set(row.value.key, { mail: row.value, etag: row.etag });
  }
  return current;
}

async function fetchContents(
  deps: MailDeps,
  mailbox: string,
  page: MailDeltaPage,
  actions: readonly MailAction[],
): Promise<Map<string, MessageContent>> {
  const ids = [...new Set(actions.flatMap((a) => (a.kind === 'fetchBody' ? [a.messageId] : [])))];
  if (ids.length === 0) return new Map();
  const withAttachments = new Set(
    page.entries.flatMap((e) =>
      e.kind === 'message' && e.message.hasAttachments === true && ids.includes(e.message.id)
        ? [e.message.id]
        : [],
    ),
  );
  const byId = await deps.exchangeMail.contents(mailbox, ids, withAttachments);
  // By e-mail key: the upserts name keys, the fetches message ids.
  const byKey = new Map<string, MessageContent>();
  for (const action of actions) {
    if (action.kind !== 'fetchBody') continue;
    const content = byId.get(action.messageId);
    if (content) byKey.set(action.key, content);
  }
  return byKey;
}

/** Writes the plan's upserts not written yet; answers the key of a store conflict, or null. */
async function writeUpserts(
  deps: MailDeps,
  lease: HeldLease,
  tenantId: string,
  actions: readonly MailAction[],
  contents: ReadonlyMap<string, MessageContent>,
  current: Map<string, StoredMail>,
  written: Set<string>,
): Promise<string | null> {
  for (const action of actions) {
    if (action.kind !== 'upsert') continue;
    const mail: CrmMail = withContent({ key: action.key, ...action.mail }, contents.get(action.key));
    // Written already before a re-plan, and unchanged since: not again.
    if (written.has(action.key) && isDeepStrictEqual(current.get(action.key)?.mail, mail)) continue;
    const result = await writeMail(deps, lease, tenantId, mail, current.get(action.key));
    if (result === null) return action.key;
    current.set(action.key, result);
    written.add(action.key);
  }
  return null;
}

function withContent(mail: CrmMail, content: MessageContent | undefined): CrmMail {
  if (!content || mail.visibility !== 'full') return mail;
  const bodyText = content.bodyText === null ? null : capBody(content.bodyText);
  return {
    ...mail,
    bodyText: mail.bodyText ?? bodyText,
    attachments: mail.attachments.length > 0 ? mail.attachments : content.attachments,
  };
}

function conflictError(key: string): SyncError {
  return new SyncError(
    'transient',
    'MailContention',
    `the e-mail ${key} kept changing while this page was written`,
  );
}

/**
 * Mail of the window that involves no contact is remembered with its participants' addresses,
 * so it can be linked when a contact gains one of them (mail-relink.ts); a copy that got
 * linked, left the folder or is now excluded for another reason is dropped.
 */
async function recordUnlinked(
  deps: MailDeps,
  lease: HeldLease,
  page: MailDeltaPage,
  context: ClassifyContext,
  actions: readonly MailAction[],
  unlinked: Map<string, UnlinkedCopy> | Set<string>,
): Promise<void> {
  const messages = new Map(
    page.entries.flatMap((e) => (e.kind === 'message' ? [[e.message.id, e.message] as const] : [])),
  );
  const noContact = new Set(
    actions.flatMap((a) => (a.kind === 'skip' && a.reason === 'noContact' ? [a.messageId] : [])),
  );
  const add: UnlinkedCopy[] = [];
  for (const id of noContact) {
    const message = messages.get(id);
    if (!message) continue;
    add.push({
      messageId: id,
      folder: context.folder,
      addresses: participantsOf(message).map((p) => p.address),
      receivedAt: message.receivedDateTime ?? null,
    });
  }
  const ids = page.entries.flatMap((e) =>
    e.kind === 'message' ? [e.message.id] : e.id === null ? [] : [e.id],
  );
  const drop = ids.filter((id) => unlinked.has(id) && !noContact.has(id));
  if (add.length === 0 && drop.length === 0) return;
  await lease.check();
  if (add.length > 0) await deps.mailStore.rememberUnlinked(context.accountId, add);
  if (drop.length > 0) await deps.mailStore.forgetUnlinked(context.accountId, drop);
  for (const copy of add) {
    if (unlinked instanceof Map) unlinked.set(copy.messageId, copy);
    else unlinked.add(copy.messageId);
  }
  for (const id of drop) unlinked.delete(id);
}
