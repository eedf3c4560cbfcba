import { promises as dns } from 'node:dns';

/**
 * The network as the connect step sees it (issue 18 item 4): DNS SRV records for Autodiscover
 * and where a host's connection goes. Production uses node:dns and the host itself; tests
 * inject records and point host names at the emulator (the certificate is still checked
 * against the name in the URL).
 */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface EwsNetwork {
  /** `[]` when the name has no SRV records (NXDOMAIN / NODATA are not errors). */
  resolveSrv(name: string): Promise<SrvRecord[]>;
  /** Where the TCP connection for `host:port` goes. */
  address(host: string, port: number): { host: string; port: number };
}

const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED', 'EREFUSED']);

export const nodeNetwork: EwsNetwork = {
  async resolveSrv(name) {
    try {
      return await dns.resolveSrv(name);
    } catch (error) {
      if (NO_RECORDS.has((error as { code?: string }).code ?? '')) return [];
      throw error;
    }
  },
  address: (host, port) => ({ host, port }),
};
