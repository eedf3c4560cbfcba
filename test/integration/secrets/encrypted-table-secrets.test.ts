import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  decrypt,
  EncryptedTableSecrets,
  encrypt,
  parseSecretsKey,
} from '../../../shared/adapters/secrets/encrypted-table-secrets.js';
import { accountSecretName } from '../../../shared/adapters/secrets/secret-names.js';
import { uniqueName } from '../../support/names.js';

const connectionString = inject('storageConnectionString');
const tableName = uniqueName('secrets');
const key = randomBytes(32);
const raw = () =>
  TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
let store: EncryptedTableSecrets;

beforeAll(async () => {
  store = await EncryptedTableSecrets.create({ connectionString, tableName, key });
});

afterAll(async () => {
  await raw().deleteTable();
});

describe('EncryptedTableSecrets on Azurite', () => {
  it('stores, reads back, replaces and deletes a secret', async () => {
    const name = accountSecretName('acc-1');
    expect(await store.get(name)).toBeNull();
    await store.set(name, 'Passw0rd!ä');
    expect(await store.get(name)).toBe('Passw0rd!ä');
    await store.set(name, 'second');
    expect(await store.get(name)).toBe('second');
    await store.delete(name);
    expect(await store.get(name)).toBeNull();
    await store.delete(name); // gone already: not an error
  });

  it('keeps the value out of the table: only IV, ciphertext and tag, none of them the password', async () => {
    const name = accountSecretName('acc-2');
    const password = 'Sommer2025!Geheim';
    await store.set(name, password);
    const row = await raw().getEntity<Record<string, unknown>>('secret', name);
    const text = JSON.stringify(row);
    expect(text).not.toContain(password);
    expect(text).not.toContain(Buffer.from(password).toString('base64'));
    expect(text).not.toContain(Buffer.from(password).toString('hex'));
    expect(
      Object.keys(row)
        .filter((k) => !['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.metadata'].includes(k))
        .sort(),
    ).toEqual(['data', 'iv', 'tag', 'v']);
  });

  it('refuses another key and an altered or moved row with a message naming neither key nor value', async () => {
    const name = accountSecretName('acc-3');
    await store.set(name, 'topsecret-value');
    const other = new EncryptedTableSecrets(raw(), randomBytes(32));
    await expect(other.get(name)).rejects.toThrow(/does not decrypt with SECRETS_KEY/);
    // The same ciphertext under another name fails: the name is the authenticated data.
    const row = await raw().getEntity<{ v: number; iv: string; data: string; tag: string }>('secret', name);
    const moved = accountSecretName('acc-4');
    await raw().upsertEntity({
      partitionKey: 'secret',
      rowKey: moved,
      v: row.v,
      iv: row.iv,
      data: row.data,
      tag: row.tag,
    });
    const error = (await store.get(moved).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/does not decrypt/);
    expect(error.message).not.toContain('topsecret-value');
    expect(error.message).not.toContain(key.toString('hex'));
  });
});

describe('the encryption (pure)', () => {
  it('uses a fresh IV each time, so equal passwords do not look equal', () => {
    const a = encrypt(key, 'n', 'same');
    const b = encrypt(key, 'n', 'same');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    expect(decrypt(key, 'n', a)).toBe('same');
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64')).toHaveLength(16);
  });

  it('takes SECRETS_KEY as 64 hex digits or base64 of 32 bytes, nothing shorter', () => {
    expect(parseSecretsKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(() => parseSecretsKey('short')).toThrow(/SECRETS_KEY/);
  });
});
