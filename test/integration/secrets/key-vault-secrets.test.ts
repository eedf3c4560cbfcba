import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { KeyVaultSecrets } from '../../../shared/adapters/secrets/key-vault-secrets.js';
import { accountSecretName } from '../../../shared/adapters/secrets/secret-names.js';
import { type FakeKeyVault, startFakeKeyVault } from './fake-key-vault.js';

/**
 * The Key Vault adapter against a local stand-in of the secrets REST API (fake-key-vault.ts):
 * one secret per account, a missing one is null, delete is delete + purge, a vault with purge
 * protection keeps the soft-deleted secret (403 on purge is no error), and a set on a name that
 * is still soft-deleted recovers it first (Set Secret answers 409 Conflict then).
 */
let vault: FakeKeyVault;
let store: KeyVaultSecrets;
const tokens: string[][] = [];

beforeAll(async () => {
  vault = await startFakeKeyVault(inject('tlsDir'));
  store = new KeyVaultSecrets({
    vaultUrl: vault.url,
    credential: {
      getToken: async (scopes) => {
        tokens.push([scopes].flat());
        return { token: 'managed-identity-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    },
    pollIntervalMs: 10,
    clientOptions: { disableChallengeResourceVerification: true },
  });
});
afterAll(() => vault.stop());
beforeEach(() => {
  vault.secrets.clear();
  vault.deleted.clear();
  vault.purgeProtection = false;
  vault.requests.length = 0;
});

describe('KeyVaultSecrets', () => {
  const name = accountSecretName('3f1c-aa');

  it('sets and reads one secret per account, with a token for the vault scope', async () => {
    expect(await store.get(name)).toBeNull();
    await store.set(name, 'Passw0rd!');
    expect(await store.get(name)).toBe('Passw0rd!');
    expect(vault.secrets.get(name)).toBe('Passw0rd!');
    expect(tokens.flat()).toContain('https://vault.azure.net/.default');
  });

  it('deletes, then purges, so nothing stays recoverable', async () => {
    await store.set(name, 'Passw0rd!');
    await store.delete(name);
    expect(vault.secrets.has(name)).toBe(false);
    expect(vault.deleted.has(name)).toBe(false);
    expect(vault.requests).toContain(`DELETE /deletedsecrets/${name}`);
    await store.delete(name); // gone already: not an error
  });

  it('leaves the secret soft-deleted where purge protection refuses the purge, and a later set recovers it', async () => {
    vault.purgeProtection = true;
    await store.set(name, 'old');
    await store.delete(name);
    expect(vault.deleted.get(name)).toBe('old');
    await store.set(name, 'new');
    expect(await store.get(name)).toBe('new');
    expect(vault.requests).toContain(`POST /deletedsecrets/${name}/recover`);
  });

  it('refuses names Key Vault would refuse, before any request', async () => {
    await expect(store.set('acc/1', 'x')).rejects.toThrow(/invalid Key Vault secret name/);
    expect(vault.requests).toEqual([]);
  });

  it('names the operation and status in errors, never the value', async () => {
    vault.secrets.set('x', 'y');
    const failing = new KeyVaultSecrets({
      vaultUrl: vault.url,
      credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
    });
    await vault.stop();
    const error = (await failing.set(name, 'Sehr-Geheim').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Key Vault: could not store a secret/);
    expect(error.message).not.toContain('Sehr-Geheim');
    vault = await startFakeKeyVault(inject('tlsDir'));
  });
});
