import { generate } from 'selfsigned';
import type { LocalCertificate } from '../../tls.js';

/**
 * The certificate the emulator serves. `local`: the local CA's own certificate (localhost,
 * 127.0.0.1), or, when host names are given, a leaf for them signed by the local CA, so a
 * client that trusts the local CA (NODE_EXTRA_CA_CERTS) accepts `autodiscover.contoso.example`.
 * `untrusted`: a leaf signed by a CA generated here and known to nobody, which is what a
 * server with an internal CA looks like from outside (its `caPem` is that CA: handed to a
 * client as the account's CA PEM, it is accepted for that account only). Verification of
 * either is never switched off on the client side (Node checks the chain and the host name:
 * nodejs.org/api/tls.html#tlsconnectoptions-callback, `rejectUnauthorized` defaults to true).
 */
export type CertificateMode = 'local' | 'untrusted';

export interface ServedCertificate {
  certPem: string;
  keyPem: string;
  /** The CA a client must trust for this certificate. */
  caPem: string;
}

export async function servedCertificate(
  local: LocalCertificate,
  mode: CertificateMode,
  hostnames: readonly string[],
): Promise<ServedCertificate> {
  if (mode === 'local' && hostnames.length === 0)
    return { certPem: local.certPem, keyPem: local.keyPem, caPem: local.certPem };
  const ca =
    mode === 'local'
      ? { key: local.keyPem, cert: local.certPem }
      : await generate([{ name: 'commonName', value: 'Contoso internal CA (EWS emulator)' }], {
          keySize: 2048,
          algorithm: 'sha256',
          notBeforeDate: new Date(Date.now() - 24 * 3600_000),
          notAfterDate: new Date(Date.now() + 30 * 24 * 3600_000),
          extensions: [
            { name: 'basicConstraints', cA: true },
            { name: 'keyUsage', keyCertSign: true, digitalSignature: true },
          ],
        }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  const leaf = await generate([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600_000),
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600_000),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          ...hostnames.map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });
  return { certPem: `${leaf.cert.trim()}\n${ca.cert.trim()}\n`, keyPem: leaf.private, caPem: ca.cert };
}
