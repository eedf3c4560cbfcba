import type { Account } from '../accounts/account.js';
import type { Principal } from '../auth/index.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';
import { type AuditLog, auditEntry } from './audit.js';
import { confirmHeldDeletes } from './confirm-deletes.js';
import { rejectHeldDeletes } from './held-deletes.js';

/**
 * A person's (or the service caller's) decision on the deletes the mass-delete guard holds,
 * carried out and recorded in the audit log in one place, so the API and the web app record
 * it alike. The caller has already checked that the principal may act on the account
 * (shared/auth canAccess). A new kind of decision is one more case here.
 */
export type HeldDeleteDecision = 'confirm' | 'reject';

export type DecisionResult =
  | { ok: true; decision: 'confirm'; confirmed: number }
  | { ok: true; decision: 'reject'; restored: number; unlinked: number }
  | { ok: false; reason: 'nothingHeld' };

export async function decideHeldDeletes(
  deps: SyncDeps,
  audit: AuditLog,
  principal: Principal,
  stored: Stored<Account>,
  decision: HeldDeleteDecision,
): Promise<DecisionResult> {
  const result: DecisionResult =
    decision === 'confirm'
      ? withDecision('confirm', await confirmHeldDeletes(deps, stored))
      : withDecision('reject', await rejectHeldDeletes(deps, stored));
  const detail = !result.ok
    ? undefined
    : result.decision === 'confirm'
      ? `${result.confirmed} deletes`
      : `${result.restored} restored, ${result.unlinked} unlinked`;
  const entry = auditEntry(principal, deps.clock.now(), {
    action: decision === 'confirm' ? 'confirmDeletes' : 'rejectDeletes',
    tenantId: stored.value.tenantId,
    accountId: stored.value.id,
    outcome: result.ok ? 'ok' : result.reason,
    detail,
  });
  // The decision is carried out already: a lost audit entry is logged, not turned into an error.
  await audit.record(entry).catch((error: unknown) => {
    deps.log(`audit entry ${entry.action} ${entry.accountId ?? ''} not written: ${String(error)}`);
  });
  return result;
}

function withDecision<D extends HeldDeleteDecision, R extends { ok: boolean }>(decision: D, result: R) {
  return (result.ok ? { ...result, decision } : result) as unknown as DecisionResult;
}
