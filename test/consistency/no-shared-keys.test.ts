import { describe, expect, it } from 'vitest';
import { bicepObjectEntries, readInfra } from './bicep-text.js';

/**
 * Azure without shared keys (issue 15): the storage account refuses account keys and SAS, no
 * Bicep file reads a key (listKeys) or builds a connection string, and the app reaches Table
 * Storage by URL with its managed identity, holding only the data roles it needs.
 * learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent
 */
const infra = readInfra();
const all = Object.entries(infra.files);

describe('no shared keys in infra/', () => {
  it('switches shared-key access off on the storage account', () => {
    expect(infra.files['modules/storage.bicep']).toMatch(/allowSharedKeyAccess: false/);
  });

  it('reads no account key and builds no connection string anywhere', () => {
    for (const [name, text] of all) {
      expect({ name, listKeys: /listKeys\(/i.test(text) }).toEqual({ name, listKeys: false });
      expect({ name, accountKey: /AccountKey=/i.test(text) }).toEqual({ name, accountKey: false });
    }
  });

  it('gives the app the table service URL and identity-based host storage', () => {
    const settings = bicepObjectEntries(infra.main, 'appSettings');
    expect(settings.get('STORAGE_CONNECTION')).toBe('storage.outputs.tableEndpoint');
    expect(settings.get('AzureWebJobsStorage__accountName')).toBe('storage.outputs.name');
    expect([...settings.keys()].filter((k) => /^AzureWebJobsStorage$/.test(k))).toEqual([]);
  });

  it('assigns data-plane roles only: no Owner, Contributor or key-listing role on the account', () => {
    const roles = infra.files['modules/roles.bicep'] ?? '';
    // Owner, Contributor, Storage Account Contributor, Storage Account Key Operator.
    for (const broad of [
      '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
      'b24988ac-6180-42a0-ab88-20f7382dd24c',
      '17d1049b-9a84-46fb-8f53-869881c3d3ab',
      '81a9662b-bebf-436f-a333-f67b29880f12',
    ])
      expect(roles).not.toContain(broad);
    expect(roles).toContain("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
  });
});
