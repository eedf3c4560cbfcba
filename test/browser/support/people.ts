import { SECOND_TENANT_ID } from '../../../local/emulators/graph/index.js';
import type { Account } from '../../../shared/accounts/account.js';
import { registerAccount } from '../../../shared/service/register-account.js';
import type { TestStack } from '../../support/stack.js';

/** The people of the browser tests: two agents and an administrator of one tenant, one agent of another. */
export const PASSWORD = 'Passwort-123!';
export const ANNA = 'anna@contoso.example';
export const BEN = 'ben@contoso.example';
export const ADMIN = 'admin@contoso.example';
export const CARL = 'carl@fabrikam.example';

export function createPeople(stack: TestStack): { tenantA: string; tenantB: string } {
  const tenantA = stack.graph.tenantId;
  stack.graph.admin.createMailbox({
    id: 'u-anna',
    mail: ANNA,
    displayName: 'Anna Makler',
    password: PASSWORD,
    tenantId: tenantA,
  });
  stack.graph.admin.createMailbox({
    id: 'u-ben',
    mail: BEN,
    displayName: 'Ben Berger',
    password: PASSWORD,
    tenantId: tenantA,
  });
  stack.graph.admin.createMailbox({
    id: 'u-admin',
    mail: ADMIN,
    displayName: 'Alex Admin',
    password: PASSWORD,
    tenantId: tenantA,
    roles: ['Sync.TenantAdmin'],
  });
  stack.graph.admin.createMailbox({
    id: 'u-carl',
    mail: CARL,
    displayName: 'Carl Fremd',
    password: PASSWORD,
    tenantId: SECOND_TENANT_ID,
  });
  return { tenantA, tenantB: SECOND_TENANT_ID };
}

/** Registers through the same use case as POST /api/accounts, then waits for the initial sync. */
export async function register(
  stack: TestStack,
  input: {
    email: string;
    userId: string;
    tenantId: string;
    syncVersion: 'v2' | 'v3';
    provider?: 'microsoft365';
  },
): Promise<Account> {
  const result = await registerAccount(stack.runtime.deps, input);
  if (!result.ok) throw new Error(result.message);
  await stack.settle();
  return result.account;
}
