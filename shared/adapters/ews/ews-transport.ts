import { Agent, request } from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import ntlm from '@ewsjs/ntlm-client';
import { SyncError } from '../../errors.js';

/**
 * HTTPS to one Exchange server for one mailbox, authenticated as its user. NTLM authenticates
 * a connection, so each of the mailbox's connections is its own keep-alive Agent with one
 * socket: the handshake (type 1 → 401 with type 2 → type 3) runs once on it and later
 * requests go without a header until the server closes it. The scheme is chosen from the
 * server's `WWW-Authenticate` (NTLM when offered, else Basic). The server certificate is
 * checked before any credential is sent, against the public roots plus the account's own CA
 * PEM when it has one (added for this transport only); verification is never switched off.
 */
export interface EwsCredentials {
  /** `DOMAIN\user` or a UPN (`user@domain`). */
  username: string;
  password: string;
}

export interface EwsTransportOptions {
  url: string;
  credentials: EwsCredentials;
  /** PEM of the server's (internal) CA. */
  ca?: string;
  /** Connections, and so requests in flight, for this mailbox. Default 2 (issue 18 item 6). */
  connections?: number;
  timeoutMs?: number;
  /** A scheme already known (the account's `onPremises.auth`): skips the unauthenticated probe. */
  scheme?: 'ntlm' | 'basic';
  /**
   * Where to open the TCP connection for the URL's host and port (default: there, by DNS).
   * The certificate is still checked against the URL's host name. Tests point hosts at the emulator.
   */
  address?: (host: string, port: number) => { host: string; port: number };
}

/** The trust of one account: the public roots and, when given, its server's internal CA. */
export function trustFor(caPem: string | undefined): string[] | undefined {
  return caPem ? [...rootCertificates, caPem] : undefined;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

type Scheme = 'ntlm' | 'basic';

interface Connection {
  agent: Agent;
  authenticated: boolean;
  busy: boolean;
}

export class EwsTransport {
  private readonly url: URL;
  private readonly connections: Connection[];
  private readonly waiting: ((c: Connection) => void)[] = [];
  private scheme: Scheme | undefined;

  constructor(private readonly options: EwsTransportOptions) {
    this.url = new URL(options.url);
    this.scheme = options.scheme;
    // One secure context per transport: the ~140 public roots plus the CA are parsed once.
    const ca = trustFor(options.ca);
    const secureContext = ca ? createSecureContext({ ca }) : undefined;
    this.connections = Array.from({ length: options.connections ?? 2 }, () => ({
      agent: new Agent({ keepAlive: true, maxSockets: 1, ...(secureContext ? { secureContext } : {}) }),
      authenticated: false,
      busy: false,
    }));
  }

  /** POSTs `body`; answers whatever status the server gives except a 401 it could not get past. */
  async post(body: string, path?: string): Promise<HttpAnswer> {
    const connection = await this.take();
    try {
      return await this.authenticated(connection, body, path ?? this.url.pathname);
    } finally {
      this.give(connection);
    }
  }

  close(): void {
    for (const c of this.connections) c.agent.destroy();
  }

  /** The scheme the server's `WWW-Authenticate` chose (undefined before the first 401). */
  get authScheme(): Scheme | undefined {
    return this.scheme;
  }

  private async authenticated(c: Connection, body: string, path: string): Promise<HttpAnswer> {
    if (this.scheme === 'basic')
      return this.expectAuthorized(await this.send(c, body, path, this.basicHeader()));
    if (this.scheme === 'ntlm' && c.authenticated) {
      const answer = await this.send(c, body, path);
      if (answer.status !== 401) return answer;
      c.authenticated = false; // the server dropped the connection: a new socket, a new handshake
    }
    if (this.scheme === undefined) {
      const probe = await this.send(c, body, path);
      if (probe.status !== 401) return probe;
      this.scheme = pickScheme(probe.challenges);
      if (this.scheme === 'basic')
        return this.expectAuthorized(await this.send(c, body, path, this.basicHeader()));
    }
    const { user, domain } = splitLogin(this.options.credentials.username);
    const challenge = await this.send(c, body, path, ntlm.createType1Message('SYNC', domain));
    const type2 = challenge.challenges.find((h) => /^NTLM \S+/.test(h));
    if (challenge.status !== 401 || !type2) throw authError('the server did not answer the NTLM negotiation');
    const type3 = ntlm.createType3Message(
      ntlm.decodeType2Message(type2),
      user,
      this.options.credentials.password,
      'SYNC',
      domain,
    );
    const answer = this.expectAuthorized(await this.send(c, body, path, type3));
    c.authenticated = true;
    return answer;
  }

  private expectAuthorized(answer: HttpAnswer & { challenges: string[] }): HttpAnswer {
    if (answer.status === 401) throw authError('the user name or password was not accepted');
    return answer;
  }

  private basicHeader(): string {
    const { username, password } = this.options.credentials;
    return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  private send(
    c: Connection,
    body: string,
    path: string,
    authorization?: string,
  ): Promise<HttpAnswer & { challenges: string[] }> {
    return new Promise((resolve, reject) => {
      const port = Number(this.url.port || 443);
      const target = this.options.address?.(this.url.hostname, port) ?? { host: this.url.hostname, port };
      const req = request(
        {
          protocol: this.url.protocol,
          hostname: target.host,
          port: target.port,
          // The certificate must be the URL host's, wherever the connection goes.
          ...(isIP(this.url.hostname) ? {} : { servername: this.url.hostname }),
          path,
          method: 'POST',
          agent: c.agent,
          timeout: this.options.timeoutMs ?? 60_000,
          headers: {
            Host: this.url.host,
            'Content-Type': 'text/xml; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
            ...(authorization ? { Authorization: authorization } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const header = res.headers['www-authenticate'];
            const challenges = (
              Array.isArray(header) ? header : header ? header.split(/,\s*(?=[A-Za-z]+(?:\s|$))/) : []
            ).map((h) => h.trim());
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              challenges,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new SyncError('transient', 'Timeout', 'The Exchange server did not answer in time.')),
      );
      req.on('error', (error) => reject(networkError(error)));
      req.end(body);
    });
  }

  private take(): Promise<Connection> {
    const free = this.connections.find((c) => !c.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(c: Connection): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else c.busy = false;
  }
}

function pickScheme(challenges: string[]): Scheme {
  if (challenges.some((h) => /^(NTLM|Negotiate)\b/i.test(h))) return 'ntlm';
  if (challenges.some((h) => /^Basic\b/i.test(h))) return 'basic';
  throw authError(
    `the server offers no authentication this client speaks (${challenges.join('; ') || 'none'})`,
  );
}

export function splitLogin(username: string): { user: string; domain: string } {
  const slash = username.indexOf('\\');
  if (slash > 0) return { domain: username.slice(0, slash), user: username.slice(slash + 1) };
  return { domain: '', user: username }; // a UPN: NTLM carries it whole with an empty domain
}

function authError(detail: string): SyncError {
  return new SyncError('auth', 'EwsUnauthorized', `Exchange refused the sign-in: ${detail}.`, {
    status: 401,
  });
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/;

function networkError(error: Error & { code?: string }): SyncError {
  if (error instanceof SyncError) return error;
  const code = error.code ?? 'NetworkError';
  if (CERT_CODES.test(code))
    return new SyncError(
      'auth',
      'EwsCertificateRejected',
      `The Exchange server's certificate is not trusted (${code}); no credentials were sent.`,
      { cause: error },
    );
  return new SyncError('transient', code, `The Exchange server could not be reached (${code}).`, {
    cause: error,
  });
}
