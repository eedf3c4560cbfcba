import { describe, expect, inject, it } from 'vitest';
import { TableAudit } from '../../../shared/adapters/tables/table-audit.js';
import type { AuditEntry } from '../../../shared/service/audit.js';
import { uniqueName } from '../../support/names.js';

/** The audit table on Azurite: per tenant newest first, across tenants the newest of all. */
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const entry = (
  tenantId: string | null,
  minute: number,
  action: AuditEntry['action'] = 'export',
): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
  action,
  actor: `agent:x@${tenantId}`,
  actorKind: 'agent',
  tenantId,
  accountId: `acc-${minute}`,
  outcome: 'ok',
});

describe('TableAudit', () => {
  it('reads one tenant newest first, never another tenant, and every tenant by time', async () => {
    const audit = await TableAudit.create({
      connectionString: inject('storageConnectionString'),
      tableName: uniqueName('audit'),
    });
    // Written out of order, in two tenants, some in the same millisecond.
    for (const e of [
      entry(A, 5),
      entry(B, 7),
      entry(A, 1),
      entry(B, 2),
      entry(A, 9),
      entry(A, 9, 'migrate'),
      entry(null, 8),
    ])
      await audit.record(e);

    const a = await audit.list({ tenants: [A], limit: 10 });
    expect(a.map((e) => e.accountId)).toEqual(['acc-9', 'acc-9', 'acc-5', 'acc-1']);
    expect(a.every((e) => e.tenantId === A)).toBe(true);
    expect((await audit.list({ tenants: [A.toUpperCase()], limit: 2 })).map((e) => e.accountId)).toEqual([
      'acc-9',
      'acc-9',
    ]);
    expect((await audit.list({ tenants: [B], limit: 1 })).map((e) => e.accountId)).toEqual(['acc-7']);
    // Across tenants: the newest of all, not the first rows of the first partition (no tenant).
    expect((await audit.list({ tenants: '*', limit: 2 })).map((e) => e.accountId)).toEqual([
      'acc-9',
      'acc-9',
    ]);
    expect((await audit.list({ tenants: '*', limit: 3 })).map((e) => e.accountId)).toEqual([
      'acc-9',
      'acc-9',
      'acc-8',
    ]);
    expect(await audit.list({ tenants: [], limit: 10 })).toEqual([]);
  });
});
