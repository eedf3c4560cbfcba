import { describePrincipal, type Principal } from '../auth/index.js';

/**
 * The audit log: who did what to which account, when, and how it ended (issue 15). Every CSV
 * export, migration, registration and held-delete decision is recorded, refused ones too;
 * administrators read it through `GET /api/audit`. Entries never hold tokens or contact data.
 */
export type AuditAction =
  | 'export'
  | 'migrate'
  | 'register'
  | 'confirmDeletes'
  | 'rejectDeletes'
  /** An account's mail settings changed (detail: the fields). */
  | 'mailSettings'
  /** A tenant's mail settings changed (accountId null; detail: the fields). */
  | 'tenantMailSettings'
  /** An account was removed (DELETE /api/accounts/{id}; shared/service/remove-account.ts). */
  | 'remove';

export interface AuditEntry {
  at: string;
  action: AuditAction;
  /** `kind:username@tenant` of the caller (describePrincipal). */
  actor: string;
  actorKind: Principal['kind'];
  /** The account's tenant (what an administrator filters by). */
  tenantId: string | null;
  accountId: string | null;
  /** e.g. `ok`, `adminConsentRequired`, `AccountExists`, `nothingHeld`. */
  outcome: string;
  /** A short, data-free detail (the mailbox address of a registration, a count). */
  detail?: string;
}

export interface AuditQuery {
  /** The tenants to read; `*` = every tenant. */
  tenants: readonly string[] | '*';
  /** Newest first, at most this many (1–500). */
  limit: number;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

export function auditEntry(
  principal: Principal,
  at: Date,
  fields: Pick<AuditEntry, 'action' | 'tenantId' | 'accountId' | 'outcome'> & { detail?: string | undefined },
): AuditEntry {
  return {
    at: at.toISOString(),
    actor: describePrincipal(principal),
    actorKind: principal.kind,
    tenantId: fields.tenantId,
    accountId: fields.accountId,
    action: fields.action,
    outcome: fields.outcome,
    ...(fields.detail ? { detail: fields.detail } : {}),
  };
}

/** Which tenants' entries the principal may read (see canReadAudit for whether at all). */
export function auditTenants(principal: Principal): readonly string[] | '*' {
  if (principal.kind === 'service') return principal.tenants?.includes('*') ? '*' : (principal.tenants ?? []);
  return [principal.tenantId];
}
