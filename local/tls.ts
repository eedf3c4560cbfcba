import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/**
 * A locally generated certificate for the Graph emulator's HTTPS server. The Graph client
 * only sends tokens to https hosts and @azure/identity only talks to an https authority, so
 * the production code paths need real TLS. The certificate is its own CA: hand `caPath` to
 * the calling process as NODE_EXTRA_CA_CERTS (read by Node only at process start).
 */
export interface LocalCertificate {
  caPath: string;
  certPem: string;
  keyPem: string;
}

export async function ensureLocalCertificate(dir: string): Promise<LocalCertificate> {
  const certPath = join(dir, 'graph-emulator.crt');
  const keyPath = join(dir, 'graph-emulator.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return {
      caPath: certPath,
      certPem: await readFile(certPath, 'utf8'),
      keyPem: await readFile(keyPath, 'utf8'),
    };
  }
  await mkdir(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
  const notAfterDate = new Date(Date.now() + 825 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'Graph emulator (local)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  return { caPath: certPath, certPem: pems.cert, keyPem: pems.private };
}
