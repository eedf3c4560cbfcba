import type { AccountSession } from './account-session.js';
import { defaultFolderOf } from './default-folder.js';
import type { SyncDeps } from './deps.js';
import { applyUpserts } from './exchange-upserts.js';
import { executePlan } from './execute.js';
import { shouldHoldDeletes } from './mass-delete.js';
import { addTally, emptyTally, type SyncTally, tallyOf } from './outcome.js';
import { planExchangeRemoval } from './plan.js';

/**
 * One delta round over every contact folder of the mailbox (Exchange → CRM). Each page's
 * changes are planned and executed; the deltaLink is saved last, after the whole folder went
 * through, so a crash replays the round (harmless: replays are echoes). A contact that fails
 * for a temporary reason fails the round (the message is retried); one that fails for good is
 * logged and skipped, so it cannot block the account.
 */
export async function runDeltaRound(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  const startedAt = deps.clock.now().toISOString();
  // Graph lists only the folders inside the default Contacts folder, not the folder itself.
  const folders = [
    await defaultFolderOf(deps.exchange, session.mailbox),
    targetFolderId,
    ...(await deps.exchange.listFolders(session.mailbox)).map((f) => f.id),
  ];
  for (const folderId of new Set(folders)) {
    addTally(tally, await syncFolder(deps, session, folderId, targetFolderId));
  }
  await session.update((a) => ({
    ...a,
    // Recorded only when the round completed: a hint older than its start is covered by it.
    status: {
      ...a.status,
      lastSyncAt: deps.clock.now().toISOString(),
      lastDeltaStartedAt: startedAt,
      lastError: null,
      // Held deletes are counted over the whole round; a confirmation is used up by one round.
      heldDeletes: tally.heldDeletes,
      heldDeletesConfirmed: false,
    },
  }));
  return tally;
}

async function syncFolder(
  deps: SyncDeps,
  session: AccountSession,
  folderId: string,
  targetFolderId: string,
): Promise<SyncTally> {
  const tally = emptyTally();
  const accountId = session.account.id;
  const removed: string[] = [];
  const seen = new Set<string>();
  let restarted = false;
  let deltaLink: string | undefined;
  for await (const page of deps.exchange.delta(
    session.mailbox,
    folderId,
    session.account.deltaLinks[folderId] ?? null,
  )) {
    restarted ||= page.restarted;
    if (page.skipped?.length) await logSkipped(deps, accountId, page.skipped);
    for (const contact of page.upserts) seen.add(contact.id);
    addTally(tally, await applyUpserts(deps, session, page.upserts, targetFolderId));
    removed.push(...page.removedIds);
    deltaLink = page.deltaLink ?? deltaLink;
  }
  if (restarted) {
    // A restarted (full) round does not report what was deleted while the token was expired:
    // every linked contact of this folder that it did not list is gone.
    for await (const link of deps.mirror.list(accountId)) {
      if (link.exchangeFolderId === folderId && !seen.has(link.exchangeId)) removed.push(link.exchangeId);
    }
  }
  const removals = await linkedRemovals(deps, accountId, removed);
  if (removals.length > 0) {
    const linked = removals.length >= deps.settings.massDelete.min ? await countLinks(deps, accountId) : 0;
    const hold = shouldHoldDeletes({
      deletes: removals.length,
      linked,
      ...deps.settings.massDelete,
      confirmed: session.account.status.heldDeletesConfirmed,
    });
    if (hold) {
      deps.log(
        `account ${accountId}: holding ${removals.length} deletes of ${linked} linked contacts for confirmation`,
      );
      tally.heldDeletes = removals.length;
      return tally; // the deltaLink is not saved: the round repeats until the deletes are confirmed
    }
    for (const exchangeId of removals)
      addTally(tally, await applyRemoval(deps, session, exchangeId, targetFolderId));
  }
  if (deltaLink) {
    const link = deltaLink;
    await session.update((a) => ({
      ...a,
      deltaLinks: { ...a.deltaLinks, [folderId]: link },
    }));
  }
  return tally;
}

async function applyRemoval(
  deps: SyncDeps,
  session: AccountSession,
  exchangeId: string,
  targetFolderId: string,
): Promise<SyncTally> {
  const account = session.account;
  const link = await deps.mirror.getByExchangeId(account.id, exchangeId);
  if (!link) return emptyTally();
  const crm = await deps.crm.get(link.value.crmId);
  const plan = planExchangeRemoval({ account, link, crm, exchange: null, now: deps.clock.now() });
  await executePlan(plan, { deps, session, targetFolderId });
  return tallyOf(plan);
}

async function linkedRemovals(deps: SyncDeps, accountId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const linked = await Promise.all(
    unique.map(async (id) => ((await deps.mirror.getByExchangeId(accountId, id)) ? id : null)),
  );
  return linked.filter((id): id is string => id !== null);
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
