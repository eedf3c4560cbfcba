import { randomUUID } from 'node:crypto';
import type { Account } from '../accounts/account.js';
import { syncAllowed } from '../accounts/migration-policy.js';
import { newAccount, type RegisterAccountInput } from '../accounts/new-account.js';
import { testOnPremisesConnection } from '../adapters/ews/connect.js';
import { enqueueMailSync } from '../mail-sync/mail-jobs.js';
import type { SyncDeps } from '../sync/deps.js';
import {
  type ConnectTester,
  connectedAccount,
  storeConnected,
  testConnection,
} from './connect-on-premises.js';

export type RegisterResult =
  | { ok: true; account: Account }
  | { ok: false; status: 409; code: 'AccountExists'; message: string }
  | { ok: false; status: 422; code: string; message: string };

/**
 * Registers a mailbox. An account that may sync is connected at once by the worker
 * (subscription with the validation handshake, then the initial sync); the HTTP answer does
 * not wait for Graph. A mailbox has one account: a second registration is a 409, which names
 * the existing account only to a caller who may see it (`visible`), so nobody learns another
 * tenant's account ids.
 */
export async function registerAccount(
  deps: SyncDeps,
  input: RegisterAccountInput,
  options: { visible?: (account: Account) => boolean; connectOnPremises?: ConnectTester } = {},
): Promise<RegisterResult> {
  const email = input.email.toLowerCase();
  for await (const existing of deps.accounts.list()) {
    if (existing.email.toLowerCase() === email) {
      const shown = options.visible?.(existing) ?? true;
      return {
        ok: false,
        status: 409,
        code: 'AccountExists',
        message: shown
          ? `an account for ${input.email} exists already (${existing.id})`
          : `an account for ${input.email} exists already`,
      };
    }
  }
  const { onPremises, ...fields } = input;
  const fresh = newAccount(fields, {
    id: randomUUID(),
    now: deps.clock.now(),
    instants: deps.settings.migration,
  });
  let account = fresh;
  if (onPremises) {
    // An on-premises mailbox is tested before anything is stored (connect-on-premises.ts).
    const form = { ...onPremises, caPem: onPremises.caPem ?? null };
    const tested = await testConnection(
      options.connectOnPremises ?? ((i) => testOnPremisesConnection(i)),
      input.email,
      form,
    );
    if (!tested.ok) return { ok: false, status: 422, code: tested.code, message: tested.message };
    account = connectedAccount(fresh, tested.connection);
    await storeConnected(deps, account, null, form.password, null);
  } else await deps.accounts.put(account, null);
  if (syncAllowed(account.migration.state)) await enqueueConnect(deps, account.id, 'registered');
  return { ok: true, account };
}

export async function enqueueConnect(deps: SyncDeps, accountId: string, reason: string): Promise<void> {
  // The mail's first import (or, after a migration, its resumption from the saved deltaLinks).
  await enqueueMailSync(deps, accountId, true, reason);
  return deps.queue.send('exchange-to-crm', {
    v: 1,
    kind: 'accountTask',
    accountId,
    task: 'connect',
    reason,
    sessionKey: accountId,
    dedupeId: `connect:${accountId}:${deps.clock.now().toISOString()}`,
  });
}
