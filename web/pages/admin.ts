import type { HttpResponseInit } from '@azure/functions';
import type { Account } from '../../shared/accounts/account.js';
import { migrationState } from '../../shared/accounts/migration-policy.js';
import type { Req } from '../context.js';
import { ADMIN_FILTERS, type AdminFilter, adminPage, type DeadLetterRow } from '../views/admin.js';
import { visibleRows } from './personal.js';

/** "Benutzerverwaltung > E-Mail-Synchronisierung": every account of the administrator's tenant. */
export async function admin(req: Req): Promise<HttpResponseInit> {
  const principal = req.principal;
  if (!principal) return req.signInRequired();
  if (principal.kind !== 'tenantAdmin') return req.error(404, 'NotFound');
  const raw = new URL(req.request.url).searchParams.get('filter') ?? 'all';
  const filter: AdminFilter = (ADMIN_FILTERS as readonly string[]).includes(raw)
    ? (raw as AdminFilter)
    : 'all';
  const now = req.web.deps.clock.now();
  const instants = req.web.deps.settings.migration;
  const matches = (a: Account): boolean => {
    const state = migrationState(a.syncVersion, now, instants);
    switch (filter) {
      case 'all':
        return true;
      case 'v2':
        return a.syncVersion === 'v2';
      case 'overdue':
        return state === 'migrationOverdue';
      case 'stopped':
        return state === 'syncStopped';
      case 'errors':
        return a.status.lastError !== null;
    }
  };
  const tenantRows = await visibleRows(req);
  const rows = await visibleRows(req, matches);
  const emails = new Map(tenantRows.map((r) => [r.id, r.email]));
  const deadLetters = req.web.deadLetters ? await tenantDeadLetters(req, emails) : null;
  const audit = req.web.readAudit
    ? (await req.web.readAudit(principal)).map((a) => ({
        ...a,
        account: a.account ? (emails.get(a.account) ?? a.account) : null,
      }))
    : null;
  return req.page(adminPage(req.frame(), req.locale, { filter, rows, deadLetters, audit }));
}

/** Only messages naming an account of this tenant: another tenant's failures are not shown. */
async function tenantDeadLetters(req: Req, emails: Map<string, string>): Promise<DeadLetterRow[]> {
  const records = (await req.web.deadLetters?.()) ?? [];
  const rows: DeadLetterRow[] = [];
  for (const record of records) {
    let accountId: unknown;
    try {
      accountId = (JSON.parse(record.body) as { accountId?: unknown }).accountId;
    } catch {
      continue;
    }
    if (typeof accountId !== 'string' || !emails.has(accountId)) continue;
    rows.push({
      at: record.movedAt,
      queue: record.queue,
      accountEmail: emails.get(accountId) ?? null,
      reason: record.reason,
    });
  }
  return rows;
}
