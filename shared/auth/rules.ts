import type { Principal } from './principal.js';

/**
 * Who may do what (DESIGN section 11, the README's roles table), as pure functions. Whatever
 * a principal may not see does not exist for it: callers answer 404 exactly as for an account
 * that is not there, so nobody learns what another tenant or agent has.
 */
export interface AccountOwner {
  tenantId: string | null;
  /** Graph user id or UPN of the mailbox. */
  userId: string;
  email: string;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** True when the service caller is configured for this tenant. */
function serves(principal: Principal, tenantId: string | null): boolean {
  const tenants = principal.tenants ?? [];
  return tenantId !== null && (tenants.includes('*') || tenants.some((t) => same(t, tenantId)));
}

/**
 * May the principal see and act on this account (status, migrate, held deletes, CSV)?
 * An account without a tenant belongs to no one's tenant and is visible to nobody.
 */
export function canAccess(principal: Principal, account: AccountOwner): boolean {
  switch (principal.kind) {
    case 'service':
      return serves(principal, account.tenantId);
    case 'tenantAdmin':
      return same(account.tenantId, principal.tenantId);
    case 'agent':
      return (
        same(account.tenantId, principal.tenantId) &&
        (account.userId === principal.objectId ||
          same(account.email, principal.username) ||
          same(account.userId, principal.username))
      );
  }
}

export function visibleAccounts<T extends AccountOwner>(principal: Principal, accounts: Iterable<T>): T[] {
  return [...accounts].filter((account) => canAccess(principal, account));
}

export interface RegistrationRequest {
  email: string;
  userId?: string | undefined;
  tenantId?: string | undefined;
}

/**
 * May the principal register this mailbox, and for which tenant? Users register in their own
 * tenant only (a named tenant must be theirs); an agent only their own mailbox; a service
 * caller names one of its tenants. The answer carries the tenant (and user id) to store.
 */
export function canRegister(
  principal: Principal,
  input: RegistrationRequest,
): { ok: true; tenantId: string; userId: string } | { ok: false } {
  if (principal.kind === 'service') {
    if (!input.tenantId || !serves(principal, input.tenantId)) return { ok: false };
    return { ok: true, tenantId: input.tenantId, userId: input.userId ?? input.email };
  }
  if (input.tenantId !== undefined && !same(input.tenantId, principal.tenantId)) return { ok: false };
  if (principal.kind === 'agent') {
    if (!same(input.email, principal.username)) return { ok: false };
    const userId = input.userId ?? principal.objectId;
    if (userId !== principal.objectId && !same(userId, principal.username)) return { ok: false };
    return { ok: true, tenantId: principal.tenantId, userId };
  }
  return { ok: true, tenantId: principal.tenantId, userId: input.userId ?? input.email };
}

/** Administrators (tenant admins, service callers) read the audit log; agents do not. */
export function canReadAudit(principal: Principal): boolean {
  return principal.kind === 'tenantAdmin' || principal.kind === 'service';
}

/** The audit entries of the tenants the principal administers. */
export function visibleAuditTenant(principal: Principal, tenantId: string | null): boolean {
  if (principal.kind === 'tenantAdmin') return same(tenantId, principal.tenantId);
  if (principal.kind === 'service') return serves(principal, tenantId);
  return false;
}
