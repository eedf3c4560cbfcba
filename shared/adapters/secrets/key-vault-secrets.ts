import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { SecretStore } from '../../ports.js';
import { isValidSecretName } from './secret-names.js';

/**
 * Azure's SecretStore: one Key Vault secret per account, through the app's managed identity
 * (DefaultAzureCredential). The vault is the accounts' own (infra/main.bicep: the app is
 * "Key Vault Secrets Officer" there and only "Secrets User" on the configuration vault).
 *
 * Delete = delete, then purge: the vault has soft delete (90 days) but no purge protection, so a
 * removed account's password does not linger as a recoverable deleted secret. Where a vault does
 * have purge protection, Key Vault refuses the purge (403): the secret then stays soft-deleted
 * until its retention ends, which is the most that vault allows; that is not an error.
 * A set after a delete of the same name recovers nothing: a purged name is free again; a name
 * still soft-deleted (purge refused) makes setSecret fail with 409 Conflict, so set recovers it
 * first and then writes the new value.
 */
export interface KeyVaultSecretsOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** Poll interval of the delete (default: the SDK's 2 s). */
  pollIntervalMs?: number;
  /** The SDK's options (tests: a local vault, whose challenge names another resource). */
  clientOptions?: SecretClientOptions;
}

export class KeyVaultSecrets implements SecretStore {
  private readonly client: SecretClient;

  constructor(private readonly options: KeyVaultSecretsOptions) {
    this.client = new SecretClient(options.vaultUrl, options.credential, options.clientOptions);
  }

  async get(name: string): Promise<string | null> {
    checkName(name);
    try {
      const secret = await this.client.getSecret(name);
      return secret.value ?? null;
    } catch (thrown) {
      if (statusOf(thrown) === 404) return null;
      throw vaultError(thrown, 'read a secret');
    }
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    try {
      await this.client.setSecret(name, value, { contentType: 'text/plain' });
    } catch (thrown) {
      if (statusOf(thrown) !== 409) throw vaultError(thrown, 'store a secret');
      // Still soft-deleted under that name: recover, then write the new version.
      const poller = await this.client.beginRecoverDeletedSecret(name, this.pollOptions());
      await poller.pollUntilDone();
      await this.client.setSecret(name, value, { contentType: 'text/plain' });
    }
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    try {
      const poller = await this.client.beginDeleteSecret(name, this.pollOptions());
      await poller.pollUntilDone();
    } catch (thrown) {
      if (statusOf(thrown) !== 404) throw vaultError(thrown, 'delete a secret');
    }
    try {
      await this.client.purgeDeletedSecret(name);
    } catch (thrown) {
      const status = statusOf(thrown);
      // 404: nothing soft-deleted (already purged); 403: purge protection keeps it until retention ends.
      if (status !== 404 && status !== 403) throw vaultError(thrown, 'purge a deleted secret');
    }
  }

  private pollOptions(): { intervalInMs?: number } {
    return this.options.pollIntervalMs === undefined ? {} : { intervalInMs: this.options.pollIntervalMs };
  }
}

function checkName(name: string): void {
  if (!isValidSecretName(name)) throw new Error('invalid Key Vault secret name');
}

function statusOf(thrown: unknown): number | undefined {
  const status = (thrown as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The SDK's message carries no secret value; the name of the operation and the status suffice. */
function vaultError(thrown: unknown, what: string): Error {
  const status = statusOf(thrown);
  const code = (thrown as { code?: unknown })?.code;
  return new Error(
    `Key Vault: could not ${what} (${status ?? 'no status'}${typeof code === 'string' ? ` ${code}` : ''})`,
  );
}
