import pLimit from 'p-limit';
import type { Account } from '../accounts/account.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';
import { contactsOf } from '../sync/exchange-router.js';
import type { ContactLink, LogEntry } from '../sync/link.js';
import { isTaggedFor } from '../sync/plan.js';

/**
 * The deletes the mass-delete guard holds (shared/sync/mass-delete.ts). The account stores only
 * their number: the held round does not advance its deltaLink, so the contacts it would remove
 * are exactly the linked ones whose Outlook copy is gone. Listing them reads each linked
 * contact once from Graph (a few at a time); it is only done while deletes are held.
 */

export interface HeldDelete {
  crmId: string;
  exchangeId: string;
  name: string;
  email: string | null;
  /** Tagged for the account in the CRM: rejecting writes it back to Outlook. */
  tagged: boolean;
  /** The CRM contact's version when listed (null when it is gone from the CRM). */
  crmVersion: number | null;
}

export async function listHeldDeletes(deps: SyncDeps, account: Account): Promise<HeldDelete[]> {
  if (account.status.heldDeletes === 0) return [];
  const links: ContactLink[] = [];
  for await (const link of deps.mirror.list(account.id)) links.push(link);
  const exchange = contactsOf(deps, account);
  const limit = pLimit(4);
  const gone = await Promise.all(
    links.map((link) =>
      limit(async () => ((await exchange.get(account.userId, link.exchangeId)) ? null : link)),
    ),
  );
  const held: HeldDelete[] = [];
  for (const link of gone) {
    if (!link) continue;
    const crm = await deps.crm.get(link.crmId);
    const s = link.snapshot;
    held.push({
      crmId: link.crmId,
      exchangeId: link.exchangeId,
      name:
        [s.givenName, s.surname].filter(Boolean).join(' ') ||
        s.companyName ||
        s.emailAddresses[0] ||
        link.crmId,
      email: s.emailAddresses[0] ?? null,
      tagged: crm !== null && isTaggedFor(crm, account.id),
      crmVersion: crm?.version ?? null,
    });
  }
  return held.sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

export type RejectResult =
  | { ok: true; restored: number; unlinked: number }
  | { ok: false; reason: 'nothingHeld' };

/**
 * "Verwerfen": the held deletes are not carried out. No CRM contact is changed; those tagged for
 * the account are written back to Outlook (their link is dropped and a crmChanged makes the
 * worker create them again), the others are only unlinked. Then a delta round runs, which now
 * finds nothing linked to delete and saves its deltaLink.
 */
export async function rejectHeldDeletes(deps: SyncDeps, stored: Stored<Account>): Promise<RejectResult> {
  const account = stored.value;
  if (account.status.heldDeletes === 0) return { ok: false, reason: 'nothingHeld' };
  const held = await listHeldDeletes(deps, account);
  const now = deps.clock.now().toISOString();
  const log: LogEntry[] = [];
  for (const item of held) {
    const link = await deps.mirror.getByCrmId(account.id, item.crmId);
    if (link) await deps.mirror.delete(link.value, link.etag);
    log.push({
      contactKey: `crm:${item.crmId}`,
      at: now,
      level: 'info',
      action: 'deleteRejected',
      detail: item.tagged
        ? 'delete in Outlook rejected: written back to Outlook'
        : 'delete in Outlook rejected: unlinked, the CRM contact stays',
    });
  }
  if (log.length > 0) await deps.mirror.appendLog(account.id, log);
  await deps.accounts.put(
    { ...account, status: { ...account.status, heldDeletes: 0, heldDeletesConfirmed: false } },
    stored.etag,
  );
  for (const item of held.filter((h) => h.tagged)) {
    await deps.queue.send('crm-to-exchange', {
      v: 1,
      kind: 'crmChanged',
      accountId: account.id,
      contactId: item.crmId,
      version: item.crmVersion,
      sessionKey: account.id,
      dedupeId: `reject:${account.id}:${item.crmId}:${now}`.slice(0, 128),
    });
  }
  await deps.queue.send('exchange-to-crm', {
    v: 1,
    kind: 'exchangeChanged',
    accountId: account.id,
    folderId: null,
    reason: 'held deletes rejected',
    at: now,
    sessionKey: account.id,
    dedupeId: `reject:${account.id}:${now}`,
  });
  const restored = held.filter((h) => h.tagged).length;
  return { ok: true, restored, unlinked: held.length - restored };
}
