import type { Account } from '../accounts/account.js';
import { planMigrationCutoff } from '../accounts/migration-policy.js';
import type { OnPremisesConnection } from '../accounts/on-premises.js';
import type { ConnectFailureCode, ConnectInput, ConnectOutcome } from '../adapters/ews/connect.js';
import { accountSecretName } from '../adapters/secrets/secret-names.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';

/**
 * Connecting an on-premises Exchange account (issue 18 items 4, 5). The connect test runs
 * first (Autodiscover, TLS, a test call with the credentials); only when it succeeds is
 * anything stored: the password into the SecretStore under the account's secret name, then
 * the account with `onPremises`, provider `onPremises`, sync V3, then the connect task (the
 * EWS routing and the polling timer take over from there). A failure stores nothing.
 */
export interface OnPremisesForm {
  host: string;
  username: string;
  password: string;
  caPem: string | null;
}

/** The connect test (shared/adapters/ews/connect.ts `testOnPremisesConnection`, injected). */
export type ConnectTester = (input: ConnectInput) => Promise<ConnectOutcome>;

export type ConnectFailure = { ok: false; code: ConnectFailureCode; message: string };

/** Runs the connect test for an account's address; the connection to store, or why not. */
export async function testConnection(
  test: ConnectTester,
  email: string,
  form: OnPremisesForm,
): Promise<{ ok: true; connection: Omit<OnPremisesConnection, 'secretName'> } | ConnectFailure> {
  const outcome = await test({ email, ...form });
  if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message };
  return { ok: true, connection: outcome.connection };
}

/** The account as connected: what `connectExisting` and registration store (pure). */
export function connectedAccount(
  account: Account,
  connection: Omit<OnPremisesConnection, 'secretName'>,
): Account {
  return {
    ...account,
    provider: 'onPremises',
    syncVersion: 'v3',
    onPremises: { ...connection, secretName: accountSecretName(account.id) },
    // Graph state means nothing to the EWS adapter: its rounds start from their own SyncState.
    subscription: null,
    deltaLinks: {},
  };
}

/**
 * Stores the password, then the account (with the etag read); when the account cannot be
 * written the secret is taken back, unless it is the one the stored account already uses.
 */
export async function storeConnected(
  deps: SyncDeps,
  account: Account,
  etag: string | null,
  password: string,
  previous: Account | null,
): Promise<string> {
  const secretName = account.onPremises?.secretName;
  if (!secretName) throw new Error('storeConnected needs an on-premises account');
  await deps.secrets.set(secretName, password);
  try {
    return await deps.accounts.put(account, etag);
  } catch (error) {
    if (previous?.onPremises?.secretName !== secretName)
      await deps.secrets.delete(secretName).catch(() => undefined);
    throw error;
  }
}

export type ConnectExistingResult = { ok: true; account: Account } | ConnectFailure;

/** `POST /api/accounts/{id}/migrate` with provider onPremises: connect, store, enqueue. */
export async function connectExisting(
  deps: SyncDeps,
  test: ConnectTester,
  stored: Stored<Account>,
  form: OnPremisesForm,
  enqueue: (accountId: string, reason: string) => Promise<void>,
): Promise<ConnectExistingResult> {
  const tested = await testConnection(test, stored.value.email, form);
  if (!tested.ok) return tested;
  const connected = connectedAccount(stored.value, tested.connection);
  const plan = planMigrationCutoff(connected, deps.clock.now(), deps.settings.migration);
  await storeConnected(deps, plan.account, stored.etag, form.password, stored.value);
  await enqueue(stored.value.id, 'connected to on-premises Exchange');
  return { ok: true, account: plan.account };
}

/**
 * An account leaves on-premises Exchange (or is removed): its secret is deleted and its
 * connection dropped. Call it after the account row without the connection is written. The
 * product has no account removal yet; migrating such an account to Microsoft 365 is the path
 * that uses this today.
 */
export async function forgetOnPremises(deps: SyncDeps, account: Account): Promise<Account> {
  if (!account.onPremises) return account;
  await deps.secrets.delete(account.onPremises.secretName);
  return { ...account, onPremises: null };
}
