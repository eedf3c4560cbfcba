import type { Account } from '../accounts/account.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';

/**
 * "Löschen bestätigen": let the next delta round carry out the deletes the mass-delete guard
 * holds (a confirmation counts for rounds started after it), and start that round now.
 */
export async function confirmHeldDeletes(
  deps: SyncDeps,
  stored: Stored<Account>,
): Promise<{ ok: true; confirmed: number } | { ok: false; reason: 'nothingHeld' }> {
  const held = stored.value.status.heldDeletes;
  if (held === 0) return { ok: false, reason: 'nothingHeld' };
  const account = { ...stored.value, status: { ...stored.value.status, heldDeletesConfirmed: true } };
  await deps.accounts.put(account, stored.etag);
  const now = deps.clock.now().toISOString();
  await deps.queue.send('exchange-to-crm', {
    v: 1,
    kind: 'exchangeChanged',
    accountId: account.id,
    folderId: null,
    reason: 'held deletes confirmed',
    at: now,
    sessionKey: account.id,
    dedupeId: `confirm:${account.id}:${now}`,
  });
  return { ok: true, confirmed: held };
}
