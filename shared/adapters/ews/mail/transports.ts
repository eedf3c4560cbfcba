import type { OnPremisesConnection } from '../../../accounts/on-premises.js';
import { SyncError } from '../../../errors.js';
import type { SecretStore } from '../../../ports.js';
import { type EwsCredentials, EwsTransport } from '../ews-transport.js';

/**
 * One EwsTransport per mailbox (two kept-alive NTLM connections: at most two requests in
 * flight, the EWS budget Exchange shares with the user's Outlook, issue 18 item 6), built on
 * first use from the mailbox's connection. Pass one instance to every EWS adapter of a worker
 * so mail and contacts draw on the same two connections.
 */
export interface EwsMailboxConnection {
  url: string;
  credentials: EwsCredentials;
  ca?: string;
  scheme?: 'ntlm' | 'basic'; // the account's onPremises.auth: EwsTransport skips its probe
}

export type ConnectMailbox = (mailbox: string) => Promise<EwsMailboxConnection> | EwsMailboxConnection;

export class EwsTransports {
  private readonly transports = new Map<string, Promise<EwsTransport>>();

  constructor(
    private readonly connect: ConnectMailbox,
    private readonly timeoutMs?: number,
  ) {}

  get(mailbox: string): Promise<EwsTransport> {
    const key = mailbox.toLowerCase();
    let transport = this.transports.get(key);
    if (!transport) {
      transport = Promise.resolve(this.connect(mailbox)).then(
        (c) =>
          new EwsTransport({
            url: c.url,
            credentials: c.credentials,
            ...(c.ca ? { ca: c.ca } : {}),
            ...(c.scheme ? { scheme: c.scheme } : {}),
            ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}),
          }),
      );
      // A failed connect (no secret, no account) is not cached: the next round tries again.
      transport.catch(() => this.transports.delete(key));
      this.transports.set(key, transport);
    }
    return transport;
  }

  close(): void {
    for (const t of this.transports.values())
      void t.then(
        (x) => x.close(),
        () => undefined,
      );
    this.transports.clear();
  }
}

/** The connection of one on-premises account (the AccountRouter builds an adapter per account). */
export function connectAccount(connection: OnPremisesConnection, secrets: SecretStore): ConnectMailbox {
  return connectOnPremises(async () => connection, secrets);
}

/**
 * The connection of an on-premises mailbox from its account (OnPremisesConnection, written by
 * the connect step) and its password from the SecretStore; the password never leaves this
 * function but into the transport. A mailbox without a connection or secret is `auth` (the
 * account must be connected again), named without any secret.
 */
export function connectOnPremises(
  connectionOf: (mailbox: string) => Promise<OnPremisesConnection | null>,
  secrets: SecretStore,
): ConnectMailbox {
  return async (mailbox) => {
    const connection = await connectionOf(mailbox);
    if (!connection)
      throw new SyncError('auth', 'EwsNotConnected', `The mailbox ${mailbox} has no on-premises connection.`);
    const password = await secrets.get(connection.secretName);
    if (password === null)
      throw new SyncError(
        'auth',
        'EwsPasswordMissing',
        `The password of ${mailbox} is not stored; connect the account again.`,
      );
    return {
      url: connection.ewsUrl,
      credentials: { username: connection.username, password },
      ...(connection.caPem ? { ca: connection.caPem } : {}),
      scheme: connection.auth,
    };
  };
}
