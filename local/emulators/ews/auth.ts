import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createChallenge, parseAuthenticate, readMessageType, verifyNtlmV2 } from './ntlm.js';
import type { EwsStore, Mailbox } from './store.js';

/**
 * Who is calling. NTLM authenticates a connection, not a request (IIS's default for Exchange's
 * EWS virtual directory): the type 1 → type 2 → type 3 exchange must happen on one kept-alive
 * connection, after which later requests on it need no header. Basic, when configured, is
 * checked on every request. A failure answers 401 with the challenges again, never a hint
 * of which part was wrong.
 */
export type AuthMode = 'ntlm' | 'basic';

export type AuthOutcome =
  | { ok: true; mailbox: Mailbox }
  | { ok: false; headers: Record<string, string | string[]> };

interface SocketState {
  challenge?: { bytes: Buffer; unicode: boolean };
  /** The signed-in mailbox's address: looked up per request, so a reset or removal signs it out. */
  smtp?: string | undefined;
}

export class Authenticator {
  private readonly sockets = new WeakMap<Socket, SocketState>();

  constructor(
    private readonly store: EwsStore,
    private readonly mode: () => AuthMode,
    private readonly server = 'EX01',
  ) {}

  challenges(): Record<string, string | string[]> {
    return this.mode() === 'basic'
      ? { 'WWW-Authenticate': 'Basic realm="ews"' }
      : { 'WWW-Authenticate': ['Negotiate', 'NTLM'] };
  }

  authenticate(req: IncomingMessage, now: Date): AuthOutcome {
    const state = this.stateOf(req.socket);
    const header = String(req.headers.authorization ?? '');
    const [scheme = '', token = ''] = header.split(/\s+/, 2);
    if (this.mode() === 'basic') return this.basic(scheme, token);
    const current = state.smtp === undefined ? undefined : this.store.mailboxes.get(state.smtp.toLowerCase());
    if (header === '' && current) return { ok: true, mailbox: current };
    if (!/^(NTLM|Negotiate)$/i.test(scheme)) return { ok: false, headers: this.challenges() };
    const bytes = Buffer.from(token, 'base64');
    const type = readMessageType(bytes);
    if (type === 1) {
      state.smtp = undefined;
      const domain = this.anyDomain();
      const challenge = createChallenge(bytes, domain, this.server, now);
      state.challenge = { bytes: challenge.challenge, unicode: challenge.unicode };
      return { ok: false, headers: { 'WWW-Authenticate': challenge.header } };
    }
    if (type === 3 && state.challenge) {
      const auth = parseAuthenticate(bytes, state.challenge.unicode);
      const challenge = state.challenge.bytes;
      state.challenge = undefined;
      const mailbox = auth ? this.store.findByLogin(auth.user, auth.domain) : undefined;
      if (auth && mailbox && verifyNtlmV2(auth, challenge, mailbox.password)) {
        state.smtp = mailbox.smtp;
        return { ok: true, mailbox };
      }
    }
    return { ok: false, headers: this.challenges() };
  }

  private basic(scheme: string, token: string): AuthOutcome {
    if (!/^Basic$/i.test(scheme)) return { ok: false, headers: this.challenges() };
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const [domain, user] = login.includes('\\') ? login.split('\\', 2) : ['', login];
    const mailbox = this.store.findByLogin(user ?? '', domain ?? '');
    if (colon > 0 && mailbox && mailbox.password === password) return { ok: true, mailbox };
    return { ok: false, headers: this.challenges() };
  }

  private anyDomain(): string {
    return [...this.store.mailboxes.values()][0]?.domain ?? 'CONTOSO';
  }

  private stateOf(socket: Socket): SocketState {
    let state = this.sockets.get(socket);
    if (!state) {
      state = {};
      this.sockets.set(socket, state);
    }
    return state;
  }
}
