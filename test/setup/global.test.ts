import { readFileSync } from 'node:fs';
import { TableServiceClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../support/names.js';

describe('test environment', () => {
  it('gives every worker the Graph emulator CA from process start', () => {
    const ca = process.env.NODE_EXTRA_CA_CERTS;
    expect(ca).toBeTruthy();
    expect(readFileSync(ca!, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('runs a real Azurite that stores tables', async () => {
    const service = TableServiceClient.fromConnectionString(inject('storageConnectionString'), {
      allowInsecureConnection: true,
    });
    const name = uniqueName('envcheck');
    await service.createTable(name);
    const names: string[] = [];
    for await (const t of service.listTables()) names.push(t.name ?? '');
    expect(names).toContain(name);
    await service.deleteTable(name);
  });
});
