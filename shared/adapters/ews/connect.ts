import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { OnPremisesConnection } from '../../accounts/on-premises.js';
import { isSyncError } from '../../errors.js';
import { discoverEwsUrl } from './autodiscover.js';
import { type EwsNetwork, nodeNetwork } from './connect-network.js';
import { defaultContactsFolderId } from './contact-folders.js';
import { EwsTransport, trustFor } from './ews-transport.js';

/**
 * Connecting an on-premises mailbox (issue 18 item 4): Autodiscover finds the EWS URL, a TLS
 * handshake with the account's trust proves the certificate before anything else is sent, and
 * a test call (GetFolder contacts) proves the credentials, with NTLM or Basic as the server's
 * `WWW-Authenticate` offers. The outcome names what went wrong; nothing is stored here.
 */
export interface ConnectInput {
  email: string;
  /** The Exchange host (or https URL) the user typed. */
  host: string;
  /** `DOMAIN\user` or a UPN. */
  username: string;
  password: string;
  caPem: string | null;
}

export type ConnectFailureCode =
  | 'EwsWrongPassword'
  | 'EwsHostUnreachable'
  | 'EwsBadCertificate'
  | 'EwsNotExchange';

export type ConnectOutcome =
  | { ok: true; connection: Omit<OnPremisesConnection, 'secretName'>; discovered: string }
  | { ok: false; code: ConnectFailureCode; message: string; host: string };

export interface ConnectOptions {
  network?: EwsNetwork;
  timeoutMs?: number;
}

export async function testOnPremisesConnection(
  input: ConnectInput,
  options: ConnectOptions = {},
): Promise<ConnectOutcome> {
  const network = options.network ?? nodeNetwork;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const credentials = { username: input.username, password: input.password };
  const ca = input.caPem ?? undefined;
  let ewsUrl: string;
  let via: string;
  try {
    const found = await discoverEwsUrl({
      email: input.email,
      credentials,
      host: input.host,
      network,
      timeoutMs,
      ...(ca ? { ca } : {}),
    });
    ewsUrl = found.url;
    via = found.step;
  } catch (error) {
    return failureOf(error, input.host);
  }
  const url = new URL(ewsUrl);
  // TLS first: the certificate is checked before any credential goes to the EWS host.
  const tls = await checkTls(url, network, ca, timeoutMs);
  if (tls) return { ...tls, host: url.host };
  const transport = new EwsTransport({
    url: ewsUrl,
    credentials,
    connections: 1,
    timeoutMs,
    address: network.address,
    ...(ca ? { ca } : {}),
  });
  try {
    await defaultContactsFolderId(transport);
    return {
      ok: true,
      connection: {
        ewsUrl,
        username: input.username,
        auth: transport.authScheme ?? 'ntlm',
        caPem: input.caPem,
      },
      discovered: via,
    };
  } catch (error) {
    return failureOf(error, url.host);
  } finally {
    transport.close();
  }
}

const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EPIPE|Timeout)$/;
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/;

/** The failure an error stands for (pure; unit-tested). */
export function classifyConnectError(error: unknown): ConnectFailureCode {
  if (isSyncError(error)) {
    if (error.code === 'EwsUnauthorized') return 'EwsWrongPassword';
    if (error.code === 'EwsCertificateRejected') return 'EwsBadCertificate';
    if (UNREACHABLE.test(error.code)) return 'EwsHostUnreachable';
    return 'EwsNotExchange';
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (CERTIFICATE.test(code)) return 'EwsBadCertificate';
    if (UNREACHABLE.test(code)) return 'EwsHostUnreachable';
  }
  return 'EwsNotExchange';
}

/** English messages for the API (the web form shows its own German/English texts per code). */
export function connectMessage(code: ConnectFailureCode, host: string): string {
  switch (code) {
    case 'EwsWrongPassword':
      return `Exchange at ${host} did not accept the user name or password.`;
    case 'EwsHostUnreachable':
      return `The Exchange server ${host} could not be reached.`;
    case 'EwsBadCertificate':
      return `The certificate of ${host} is not trusted; no password was sent. Add the PEM of the server's CA if it uses an internal one.`;
    case 'EwsNotExchange':
      return `${host} answered, but not as an Exchange Web Services endpoint.`;
  }
}

function failureOf(error: unknown, host: string): ConnectOutcome {
  const code = classifyConnectError(error);
  return { ok: false, code, message: connectMessage(code, host), host };
}

/** A bare TLS handshake with the account's trust: null when the certificate is good. */
function checkTls(
  url: URL,
  network: EwsNetwork,
  ca: string | undefined,
  timeoutMs: number,
): Promise<{ ok: false; code: ConnectFailureCode; message: string } | null> {
  const port = Number(url.port || 443);
  const target = network.address(url.hostname, port);
  const trust = trustFor(ca);
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
      ...(trust ? { ca: trust } : {}),
      timeout: timeoutMs,
    });
    const done = (result: { ok: false; code: ConnectFailureCode; message: string } | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () => done(null));
    socket.once('timeout', () => done(fail('EwsHostUnreachable', url.host)));
    socket.once('error', (error) => done(fail(classifyConnectError(error), url.host)));
  });
}

function fail(code: ConnectFailureCode, host: string) {
  return { ok: false as const, code, message: connectMessage(code, host) };
}
