import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { SecretStore } from '../../ports.js';
import { ensureTable, readEntity, type TableConnection, tableClientFor } from '../tables/table-client.js';
import { isStatus, toTableSyncError } from '../tables/table-errors.js';
import { isValidSecretName } from './secret-names.js';

/**
 * The local stack's SecretStore: one row per secret in the `secrets` table (Azurite), the value
 * encrypted with AES-256-GCM under SECRETS_KEY (32 bytes, generated into .local by `npm start`).
 * A row holds only the 12-byte IV, the ciphertext and the 16-byte tag; the secret's name is the
 * additional authenticated data, so a ciphertext copied to another row does not decrypt. Azure
 * uses Key Vault instead (key-vault-secrets.ts), so this table exists only locally.
 */
export const SECRETS_TABLE = 'secrets';
const PARTITION = 'secret';
const VERSION = 1;

interface SecretRow {
  v: number;
  iv: string;
  data: string;
  tag: string;
}

export interface EncryptedTableSecretsOptions extends TableConnection {
  /** 32 bytes. */
  key: Buffer;
  tableName?: string;
}

export class EncryptedTableSecrets implements SecretStore {
  constructor(
    private readonly table: TableClient,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes (AES-256)');
  }

  static async create(options: EncryptedTableSecretsOptions): Promise<EncryptedTableSecrets> {
    const table = tableClientFor(options, options.tableName ?? SECRETS_TABLE);
    await ensureTable(table);
    return new EncryptedTableSecrets(table, options.key);
  }

  async get(name: string): Promise<string | null> {
    checkName(name);
    const row = await readEntity<SecretRow>(this.table, PARTITION, name);
    if (row === null) return null;
    return decrypt(this.key, name, row);
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    const row = { partitionKey: PARTITION, rowKey: name, ...encrypt(this.key, name, value) };
    try {
      await this.table.upsertEntity(row, 'Replace');
    } catch (thrown) {
      throw toTableSyncError(thrown, 'store a secret');
    }
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    try {
      await this.table.deleteEntity(PARTITION, name);
    } catch (thrown) {
      if (isStatus(thrown, 404)) return;
      throw toTableSyncError(thrown, 'delete a secret');
    }
  }
}

function checkName(name: string): void {
  if (!isValidSecretName(name)) throw new Error('invalid secret name');
}

export function encrypt(key: Buffer, name: string, value: string): SecretRow {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    v: VERSION,
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export function decrypt(key: Buffer, name: string, row: SecretRow): string {
  if (row.v !== VERSION) throw new Error(`secret "${name}": unknown format ${row.v}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(row.iv, 'base64'));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(Buffer.from(row.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(row.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    // Never the value or the key in the message.
    throw new Error(
      `secret "${name}" does not decrypt with SECRETS_KEY (another key, or the row was altered)`,
    );
  }
}

/** SECRETS_KEY as 64 hex digits or base64 of 32 bytes. */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new Error('env-var: "SECRETS_KEY" should be 32 bytes as 64 hex digits or base64');
  return key;
}
