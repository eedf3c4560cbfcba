import { contentHash, type ExchangeContact, exchangeFieldsOf } from '../contact/index.js';
import { isSyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { AccountSession } from './account-session.js';
import { defaultFolderOf } from './default-folder.js';
import type { SyncDeps } from './deps.js';
import { applyUpserts } from './exchange-upserts.js';
import { executePlan } from './execute.js';
import type { ContactLink } from './link.js';
import { DEFAULT_DELETE_WINDOW_MS, deletesInWindow, shouldHoldDeletes } from './mass-delete.js';
import { addTally, emptyTally, type SyncTally, tallyOf } from './outcome.js';
import { planExchangeRemoval } from './plan.js';

/**
 * One delta round over every contact folder of the mailbox (Exchange → CRM).
 *
 * Removals are decided once per round, after every folder was read, never per folder: Outlook
 * reports a move as a removal from one folder and a creation in another (with the same id when
 * ids are immutable, a new one otherwise), and the two halves may come in either order. So:
 * - changes of linked contacts are planned and executed page by page (a move with immutable ids
 *   only updates the link's folder: its id is seen, so it is no removal);
 * - contacts no link knows are held until the round's end, where a removed link finds its moved
 *   copy by the ownership marker or by unchanged content, and is re-pointed to it;
 * - the mass-delete guard counts what is left, over the whole round and its window;
 * - a removal whose contact can still be read by its id is no delete (`stillThere`);
 * - the deltaLinks are saved last, so a crash (or held deletes) replays the round: harmless,
 *   replays are echoes;
 * - except at a checkpoint: a page with a `resumeCursor` (EWS gives one on every page, ports.ts)
 *   after which the round so far has nothing undecided (no removal reported, no folder
 *   restarted): its held new contacts are applied and the cursor is stored as the folder's
 *   state, so a cut-off first sync of thousands of contacts goes on from there instead of
 *   listing them all again. A move whose copy is listed before such a checkpoint and whose
 *   removal after it is not recognised as a move (the copy was taken as new): checkpoints only
 *   come in rounds of more than one page (EWS: 512 changes), where that is rare.
 * A contact that fails for a temporary reason fails the round (the message is retried); one that
 * fails for good is logged and skipped, so it cannot block the account.
 */
export async function runDeltaRound(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  const startedAt = deps.clock.now().toISOString();
  // A confirmation counts only for a round that started after it was given (read once, here).
  const confirmed = session.account.status.heldDeletesConfirmed;
  // Graph lists only the folders inside the default Contacts folder, not the folder itself.
  const folders = [
    await defaultFolderOf(deps.exchange, session.mailbox),
    targetFolderId,
    ...(await deps.exchange.listFolders(session.mailbox)).map((f) => f.id),
  ];
  const round = emptyRound();
  for (const folderId of new Set(folders)) {
    round.read.add(folderId);
    addTally(tally, await readFolder(deps, session, folderId, targetFolderId, round));
  }
  const removals = await linkedRemovals(deps, session, round);
  const moved = await findMoves(deps, session, removals, round);
  // Copies the sync deleted itself (a crash came between that delete and the link's removal).
  const own = removals.filter((link) => link.value.deleting === true);
  for (const link of own) await deps.mirror.delete(link.value, link.etag);
  const gone = removals.filter((link) => !moved.has(link.value.linkId) && link.value.deleting !== true);

  const hold = gone.length > 0 && (await holdDeletes(deps, session, gone.length, confirmed, startedAt));
  const stayed: ExchangeContact[] = [];
  if (hold) {
    deps.log(
      `account ${session.account.id}: holding ${gone.length} deletes for confirmation (whole round and its window)`,
    );
    tally.heldDeletes = gone.length;
  } else {
    for (const link of gone) {
      const still = await stillThere(deps, session, link);
      if (still) stayed.push(still);
      else addTally(tally, await applyRemoval(deps, session, link, targetFolderId));
    }
  }
  // Moved copies merge like any change of a linked contact; the rest are new to the sync.
  addTally(
    tally,
    await applyUpserts(
      deps,
      session,
      [...moved.values(), ...stayed, ...round.unlinked.values()],
      targetFolderId,
    ),
  );

  await session.update((a) => {
    // Folders gone from the mailbox keep no deltaLink (a folder re-created later starts afresh).
    const deltaLinks = Object.fromEntries(
      Object.entries(a.deltaLinks).filter(([id]) => round.read.has(id) && !round.goneFolders.includes(id)),
    );
    // The deltaLinks are not saved while deletes are held: the round repeats until they are confirmed.
    if (!hold) Object.assign(deltaLinks, round.deltaLinks);
    return {
      ...a,
      deltaLinks,
      // Recorded only when the round completed: a hint older than its start is covered by it.
      status: {
        ...a.status,
        lastSyncAt: deps.clock.now().toISOString(),
        lastDeltaStartedAt: startedAt,
        lastError: null,
        heldDeletes: tally.heldDeletes,
        // Used up only by a round that saw it at its start; one given meanwhile stays for the next.
        heldDeletesConfirmed: confirmed ? false : a.status.heldDeletesConfirmed,
        recentDeletes:
          hold || confirmed ? a.status.recentDeletes : recordDeletes(deps, a, gone.length - stayed.length),
      },
    };
  });
  return tally;
}

/** What a round collected over its folders before removals are decided. */
interface Round {
  /** Ids reported removed, with the folders that reported them. */
  removed: Map<string, Set<string>>;
  /** Ids listed as created or changed, with the folders that listed them. */
  seen: Map<string, Set<string>>;
  /** Folders whose round restarted (an expired deltaLink): their unlisted links are gone. */
  restarted: Set<string>;
  /** Listed contacts no link knows (new ones, or moved copies under a new id), by id: the latest listing. */
  unlinked: Map<string, ExchangeContact>;
  deltaLinks: Record<string, string>;
  /** Folders the round read (the mailbox's contact folders now). */
  read: Set<string>;
  /** Folders that no longer exist (deleted in Outlook): dropped from the round. */
  goneFolders: string[];
}

function emptyRound(): Round {
  return {
    removed: new Map(),
    seen: new Map(),
    restarted: new Set(),
    unlinked: new Map(),
    deltaLinks: {},
    read: new Set(),
    goneFolders: [],
  };
}

async function readFolder(
  deps: SyncDeps,
  session: AccountSession,
  folderId: string,
  targetFolderId: string,
  round: Round,
): Promise<SyncTally> {
  const tally = emptyTally();
  const accountId = session.account.id;
  try {
    for await (const page of deps.exchange.delta(
      session.mailbox,
      folderId,
      session.account.deltaLinks[folderId] ?? null,
    )) {
      if (page.restarted) round.restarted.add(folderId);
      if (page.skipped?.length) await logSkipped(deps, accountId, page.skipped);
      const linked: ExchangeContact[] = [];
      for (const contact of page.upserts) {
        addTo(round.seen, contact.id, folderId);
        if (await deps.mirror.getByExchangeId(accountId, contact.id)) linked.push(contact);
        else {
          // Listed by an earlier folder of this round too (moved between the two reads, or a
          // repeated delta item): one contact, planned once, as the later listing has it.
          round.unlinked.delete(contact.id);
          round.unlinked.set(contact.id, contact);
        }
      }
      addTally(tally, await applyUpserts(deps, session, linked, targetFolderId));
      for (const id of page.removedIds) addTo(round.removed, id, folderId);
      if (page.deltaLink) round.deltaLinks[folderId] = page.deltaLink;
      else if (page.resumeCursor && settled(round))
        addTally(tally, await checkpoint(deps, session, folderId, page.resumeCursor, round, targetFolderId));
    }
  } catch (error) {
    // A folder deleted in Outlook (ErrorSyncFolderNotFound): its contacts went to Deleted Items
    // or elsewhere; nothing is decided from a folder that cannot be read.
    if (!isSyncError(error, 'notFound')) throw error;
    deps.log(`account ${accountId}: contact folder ${folderId} no longer exists; dropped from the round`);
    round.goneFolders.push(folderId);
    round.restarted.delete(folderId);
    delete round.deltaLinks[folderId];
  }
  return tally;
}

/** Nothing the round read so far waits for its end: no removal to decide, no restarted folder. */
function settled(round: Round): boolean {
  return round.removed.size === 0 && round.restarted.size === 0;
}

/**
 * Makes what the round read so far final and stores the folder's resume cursor: the new
 * contacts held for move detection are applied (with nothing removed there is no move for them
 * to be the copy of), then the cursor is saved. A cut-off round resumes from it.
 *
 * The folders this round finished before are stored with it: their held contacts were just
 * applied too, so their end-of-round states are as final as this cursor. Left at their older
 * states, a cut here would make the next round read them from there, and EWS never reports the
 * delete of a contact a state never listed: the link would outlive the Outlook delete.
 */
async function checkpoint(
  deps: SyncDeps,
  session: AccountSession,
  folderId: string,
  cursor: string,
  round: Round,
  targetFolderId: string,
): Promise<SyncTally> {
  const held = [...round.unlinked.values()];
  round.unlinked.clear();
  const tally = await applyUpserts(deps, session, held, targetFolderId);
  await session.update((a) => ({
    ...a,
    deltaLinks: { ...a.deltaLinks, ...round.deltaLinks, [folderId]: cursor },
  }));
  return tally;
}

/**
 * The links whose contact left every folder of the round (seen nowhere). A folder that is gone
 * (deleted in Outlook) reports nothing: its links are looked up one by one, and only those
 * whose contact cannot be read any more count as removed (a contact that moved out of it
 * before keeps its link, now with its folder).
 */
async function linkedRemovals(
  deps: SyncDeps,
  session: AccountSession,
  round: Round,
): Promise<Stored<ContactLink>[]> {
  const accountId = session.account.id;
  const ids = new Set<string>();
  for (const [id, from] of round.removed) {
    // Listed again in a folder that did not report it removed: the contact moved there.
    if (![...(round.seen.get(id) ?? [])].some((folder) => !from.has(folder))) ids.add(id);
  }
  const vanished = new Set([
    ...round.goneFolders,
    ...Object.keys(session.account.deltaLinks).filter((id) => !round.read.has(id)),
  ]);
  if (round.restarted.size > 0 || vanished.size > 0) {
    for await (const link of deps.mirror.list(accountId)) {
      if (round.seen.has(link.exchangeId)) continue;
      // A restarted (full) round does not report what was deleted while the token was expired:
      // every linked contact of such a folder that no folder listed is gone.
      if (round.restarted.has(link.exchangeFolderId)) ids.add(link.exchangeId);
      else if (vanished.has(link.exchangeFolderId)) {
        const found = await deps.exchange.get(session.mailbox, link.exchangeId);
        if (!found) ids.add(link.exchangeId);
        else if (found.parentFolderId && found.parentFolderId !== link.exchangeFolderId) {
          const stored = await deps.mirror.getByExchangeId(accountId, link.exchangeId);
          if (stored)
            await deps.mirror.put({ ...stored.value, exchangeFolderId: found.parentFolderId }, stored.etag);
        }
      }
    }
  }
  const links = await Promise.all([...ids].map((id) => deps.mirror.getByExchangeId(accountId, id)));
  return links.filter(
    (link): link is Stored<ContactLink> => link !== null && removedWhereItIs(round, link.value),
  );
}

/**
 * A removal counts only when a folder the link places the contact in reported it. Otherwise
 * it is the trailing half of a move seen earlier: the contact was listed in its new folder
 * (the link already points there) before its old folder reported it gone, possibly a round
 * later, when the move fell between the reads of the two folders.
 */
function removedWhereItIs(round: Round, link: ContactLink): boolean {
  const from = round.removed.get(link.exchangeId);
  if (!from) return true; // listed by a restarted or vanished folder's check, not by a removal
  return from.has(link.exchangeFolderId);
}

function addTo(index: Map<string, Set<string>>, id: string, folderId: string): void {
  const folders = index.get(id);
  if (folders) folders.add(folderId);
  else index.set(id, new Set([folderId]));
}

/**
 * Removed links whose contact was moved under a new id (no immutable ids): found by the
 * ownership marker (contacts the sync created carry it, wherever they are moved), else by
 * content equal to the link's snapshot among the round's unlinked contacts (one each). The
 * link is re-pointed to the copy; the copy is returned (by linkId) to be merged as a change.
 */
async function findMoves(
  deps: SyncDeps,
  session: AccountSession,
  removals: Stored<ContactLink>[],
  round: Round,
): Promise<Map<string, ExchangeContact>> {
  const moved = new Map<string, ExchangeContact>();
  // A moved copy shows up as a contact no link knows, in some folder of the same round: without
  // one, nothing moved (and a mass delete costs no lookup per removed contact).
  if (removals.length === 0 || round.unlinked.size === 0) return moved;
  const byHash = new Map<string, ExchangeContact[]>();
  for (const contact of round.unlinked.values()) {
    const hash = contentHash(exchangeFieldsOf(contact, session.account.defaultCountry));
    byHash.set(hash, [...(byHash.get(hash) ?? []), contact]);
  }
  // Content tells a move only when it is unambiguous: one removed link and one new contact.
  const hashes = new Map<string, number>();
  for (const link of removals)
    hashes.set(link.value.snapshotHash, (hashes.get(link.value.snapshotHash) ?? 0) + 1);
  const taken = new Set<string>();
  for (const link of removals) {
    const marked =
      link.value.origin === 'crm'
        ? await deps.exchange.findByLinkId(session.mailbox, link.value.linkId)
        : null;
    const copy =
      marked && marked.id !== link.value.exchangeId && !round.removed.has(marked.id)
        ? marked
        : unambiguous(byHash.get(link.value.snapshotHash), hashes.get(link.value.snapshotHash));
    if (!copy || taken.has(copy.id)) continue;
    if (await deps.mirror.getByExchangeId(session.account.id, copy.id)) continue; // linked already
    taken.add(copy.id);
    await deps.mirror.put(
      {
        ...link.value,
        exchangeId: copy.id,
        exchangeFolderId: copy.parentFolderId ?? link.value.exchangeFolderId,
        syncedAt: deps.clock.now().toISOString(),
      },
      link.etag,
    );
    deps.log(
      `account ${session.account.id}: Outlook contact ${link.value.exchangeId} moved (now ${copy.id})`,
    );
    moved.set(link.value.linkId, copy);
  }
  for (const id of taken) round.unlinked.delete(id);
  return moved;
}

function unambiguous(contacts: ExchangeContact[] | undefined, links: number | undefined) {
  return contacts?.length === 1 && links === 1 ? contacts[0] : undefined;
}

/** The guard over this round's deletes and those carried out within the window before it. */
async function holdDeletes(
  deps: SyncDeps,
  session: AccountSession,
  deletes: number,
  confirmed: boolean,
  startedAt: string,
): Promise<boolean> {
  if (confirmed) return false;
  const { share, min } = deps.settings.massDelete;
  const recent = deletesInWindow(session.account.status.recentDeletes, Date.parse(startedAt), windowOf(deps));
  if (deletes + recent < min) return false;
  const linked = await countLinks(deps, session.account.id);
  return shouldHoldDeletes({ deletes, recent, linked, share, min, confirmed });
}

function windowOf(deps: SyncDeps): number {
  return deps.settings.massDelete.windowMs ?? DEFAULT_DELETE_WINDOW_MS;
}

function recordDeletes(
  deps: SyncDeps,
  account: { status: { recentDeletes?: { at: string; count: number }[] } },
  count: number,
): { at: string; count: number }[] {
  const now = deps.clock.now();
  const kept = (account.status.recentDeletes ?? []).filter(
    (entry) => now.getTime() - Date.parse(entry.at) < windowOf(deps),
  );
  if (count === 0) return kept;
  // Rounds of one bucket (an hour, or a 48th of a longer window) share an entry, so the
  // account row stays small however often rounds delete.
  const last = kept.at(-1);
  const bucket = Math.max(3_600_000, windowOf(deps) / 48);
  if (last && now.getTime() - Date.parse(last.at) < bucket)
    return [...kept.slice(0, -1), { at: last.at, count: last.count + count }];
  return [...kept, { at: now.toISOString(), count }];
}

/**
 * A removed link whose contact can still be read by its id was not deleted: it moved into a
 * folder this round had read before the move (Contacts is read first, so a drag from Kunden
 * back to Contacts between the two reads), where the next round lists it. Only the folder it
 * left reported it, so no folder of this round lists it (soak seed 1314990689: taken for an
 * Outlook delete, its CRM contact lost the sync tag, and after a crash before the link's
 * removal the retried round deleted the contact from Outlook for that missing tag). Read
 * once per removal about to be carried out, so a round whose deletes are held reads nothing.
 * Without immutable ids a moved contact has a new id and reads as gone: findMoves' case.
 */
async function stillThere(
  deps: SyncDeps,
  session: AccountSession,
  link: Stored<ContactLink>,
): Promise<ExchangeContact | null> {
  const found = await deps.exchange.get(session.mailbox, link.value.exchangeId);
  if (found)
    deps.log(`account ${session.account.id}: Outlook contact ${found.id} reported removed but still there`);
  return found;
}

async function applyRemoval(
  deps: SyncDeps,
  session: AccountSession,
  link: Stored<ContactLink>,
  targetFolderId: string,
): Promise<SyncTally> {
  const account = session.account;
  const crm = await deps.crm.get(link.value.crmId);
  const plan = planExchangeRemoval({ account, link, crm, exchange: null, now: deps.clock.now() });
  await executePlan(plan, { deps, session, targetFolderId });
  return tallyOf(plan);
}

async function countLinks(deps: SyncDeps, accountId: string): Promise<number> {
  let count = 0;
  for await (const _ of deps.mirror.list(accountId)) count++;
  return count;
}

async function logSkipped(
  deps: SyncDeps,
  accountId: string,
  skipped: { id: string | null; reason: string }[],
) {
  const at = deps.clock.now().toISOString();
  await deps.mirror.appendLog(
    accountId,
    skipped.map((item) => ({
      contactKey: `exchange:${item.id ?? 'unknown'}`,
      at,
      level: 'error' as const,
      action: 'skipped',
      detail: `Graph returned a contact the sync cannot read: ${item.reason}`,
    })),
  );
}
