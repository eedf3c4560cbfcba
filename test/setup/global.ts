import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../local/azurite.js';
import { ensureLocalCertificate } from '../../local/tls.js';

/**
 * Runs once before the test workers start: one Azurite (in memory, free ports) shared by all
 * test files, and the Graph emulator's TLS certificate. Workers are forked after this, so the
 * environment set here (NODE_EXTRA_CA_CERTS in particular) is theirs from process start.
 * Each test file isolates itself by using its own table and queue names (test/support/names.ts).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    tlsDir: string;
  }
}

export default async function setup(project: TestProject) {
  const tlsDir = await mkdtemp(join(tmpdir(), 'sync-test-tls-'));
  const cert = await ensureLocalCertificate(tlsDir);
  process.env.NODE_EXTRA_CA_CERTS = cert.caPath;
  process.env.TEST_TLS_DIR = tlsDir;

  const azurite = await startAzurite();
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  project.provide('storageConnectionString', azurite.connectionString);
  project.provide('tlsDir', tlsDir);

  return async () => {
    await azurite.stop();
    await rm(tlsDir, { recursive: true, force: true });
  };
}
