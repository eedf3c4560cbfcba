import type { Account } from '../accounts/account.js';
import { planMigrationCutoff } from '../accounts/migration-policy.js';
import type { MigrateBody } from '../accounts/new-account.js';
import {
  adminConsentUrl,
  decideMigration,
  detectProvider,
  isConsentError,
  type MxResolver,
} from '../accounts/provider.js';
import { testOnPremisesConnection } from '../adapters/ews/connect.js';
import { isSyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { SyncDeps } from '../sync/deps.js';
import { type ConnectTester, connectExisting, forgetOnPremises } from './connect-on-premises.js';
import { enqueueConnect } from './register-account.js';

export interface MigrationEnv {
  resolver: MxResolver;
  graphApp: { tenantId: string; clientId: string; authorityHost: string };
  publicBaseUrl: string;
  /** The on-premises connect test; default: shared/adapters/ews/connect.ts over the real network. */
  connectOnPremises?: ConnectTester;
}

export type MigrateResult =
  | { kind: 'migrated'; account: Account }
  | { kind: 'adminConsentRequired'; adminConsentUrl: string; message: string }
  | { kind: 'chooseProvider'; reason: string }
  | { kind: 'unsupported'; message: string }
  | { kind: 'onPremisesFailed'; code: string; message: string };

/**
 * "Zu V3 migrieren" (seeds/001): find the provider, prove the app can read the mailbox with
 * the real credential flow, then mark the account V3 and connect it (subscription, initial
 * sync). Missing admin consent is answered with the tenant's admin-consent URL.
 */
export async function migrateAccount(
  deps: SyncDeps,
  env: MigrationEnv,
  stored: Stored<Account>,
  body: MigrateBody,
): Promise<MigrateResult> {
  const account = stored.value;
  // Removing an account stops its sync for good (remove-account.ts): nothing connects it again.
  if (account.removal)
    return { kind: 'unsupported', message: 'This account is being removed; it is not migrated.' };
  // An explicit choice skips the DNS lookup: it is how a user resolves an undetectable provider.
  const detected = body.provider
    ? ({ provider: 'unknown', needsChoice: true, reason: 'chosen by the user' } as const)
    : await detectProvider(account.email, env.resolver);
  const decision = decideMigration({
    detected,
    requestedProvider: body.provider,
    onPremises: body.host && body.username ? { host: body.host, username: body.username } : undefined,
  });
  if (decision.kind === 'chooseProvider') return { kind: 'chooseProvider', reason: decision.reason };
  if (decision.kind === 'unsupported') return { kind: 'unsupported', message: decision.message };
  if (decision.kind === 'connectOnPremises') {
    const connected = await connectExisting(
      deps,
      env.connectOnPremises ?? ((input) => testOnPremisesConnection(input)),
      stored,
      {
        host: decision.host,
        username: decision.username,
        password: body.password ?? '',
        caPem: body.caPem ?? null,
      },
      (id, reason) => enqueueConnect(deps, id, reason),
    );
    if (!connected.ok) return { kind: 'onPremisesFailed', code: connected.code, message: connected.message };
    return { kind: 'migrated', account: connected.account };
  }

  try {
    await deps.exchange.defaultFolderId(account.userId);
  } catch (error) {
    if (
      isSyncError(error) &&
      isConsentError({ status: error.status, code: error.code, message: error.message })
    ) {
      const tenant = account.tenantId ?? env.graphApp.tenantId;
      return {
        kind: 'adminConsentRequired',
        adminConsentUrl: adminConsentUrl(
          tenant,
          env.graphApp.clientId,
          `${env.publicBaseUrl}/api/accounts/${account.id}`,
          env.graphApp.authorityHost,
        ),
        message: 'An administrator of the tenant must grant the app access to the mailboxes (admin consent).',
      };
    }
    throw error;
  }

  // Leaving on-premises Exchange: its password is deleted with the connection.
  const migrated: Account = {
    ...account,
    syncVersion: 'v3',
    provider: decision.provider,
    ...(account.onPremises ? { onPremises: null } : {}),
  };
  const plan = planMigrationCutoff(migrated, deps.clock.now(), deps.settings.migration);
  await deps.accounts.put(plan.account, stored.etag);
  // After the account no longer names it: a lost write leaves the old connection working.
  await forgetOnPremises(deps, account);
  await enqueueConnect(deps, account.id, 'migrated to V3');
  return { kind: 'migrated', account: plan.account };
}
