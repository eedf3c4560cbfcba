import { randomBytes } from 'node:crypto';

/**
 * The emulator's Entra directory: users (every mailbox is a user; with a password it can sign
 * in), the app registrations it knows, issued authorization codes and sign-in sessions.
 *
 * App registrations (one multi-tenant product app, as the README describes):
 * - the product app (`clientId`/`clientSecret`): confidential; calls Graph with application
 *   permissions and exposes the API `api://{clientId}` with the delegated scope
 *   `access_as_user` and the app roles `Sync.TenantAdmin` (users) and `Sync.Admin` (apps);
 * - the service caller (the CRM backend, `serviceClientId`/`serviceClientSecret`): confidential,
 *   in the home tenant, assigned the app role `Sync.Admin` of the API;
 * - the web app (`webClientId`): a public client (no secret, PKCE required, ROPC allowed for
 *   scripts) whose redirect URIs are the loopback addresses on any port, as Entra allows for
 *   `http://localhost`/`127.0.0.1` ("Redirect URI restrictions": the port is ignored), plus
 *   any configured ones.
 */
export const API_SCOPE_NAME = 'access_as_user';
export const TENANT_ADMIN_ROLE = 'Sync.TenantAdmin';
export const SERVICE_ROLE = 'Sync.Admin';

export interface DirectoryUser {
  id: string;
  mail: string;
  tenantId: string;
  displayName: string;
  password: string | null;
  roles: string[];
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  scopes: string[];
  nonce: string | null;
  userId: string;
  expiresAt: number;
}

export interface ClientRegistrations {
  apiClientId: string;
  clientSecret: string;
  serviceClientId: string;
  serviceClientSecret: string;
  webClientId: string;
  redirectUris: string[];
}

export class Directory {
  private users = new Map<string, DirectoryUser>();
  private codes = new Map<string, AuthorizationCode>();
  private sessions = new Map<string, string>();

  constructor(readonly clients: ClientRegistrations) {}

  reset(): void {
    this.users.clear();
    this.codes.clear();
    this.sessions.clear();
  }

  addUser(user: DirectoryUser): void {
    this.users.set(user.id.toLowerCase(), user);
  }

  /** By object id or sign-in name (the mail address), case-insensitive like Entra. */
  find(login: string): DirectoryUser | undefined {
    const key = login.toLowerCase();
    return this.users.get(key) ?? [...this.users.values()].find((u) => u.mail.toLowerCase() === key);
  }

  /** The user, if the password is theirs; a user without a password cannot sign in. */
  authenticate(login: string, password: string): DirectoryUser | 'unknownUser' | 'badPassword' {
    const user = this.find(login);
    if (!user) return 'unknownUser';
    return user.password !== null && user.password === password ? user : 'badPassword';
  }

  isRedirectUri(uri: string): boolean {
    if (this.clients.redirectUris.includes(uri)) return true;
    try {
      const url = new URL(uri);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }

  newCode(code: AuthorizationCode): string {
    const value = randomBytes(32).toString('base64url');
    this.codes.set(value, code);
    return value;
  }

  /** Codes are single use: taking one removes it (a second redemption is AADSTS54005). */
  takeCode(value: string): AuthorizationCode | undefined {
    const code = this.codes.get(value);
    this.codes.delete(value);
    return code;
  }

  newSession(userId: string): string {
    const value = randomBytes(24).toString('base64url');
    this.sessions.set(value, userId);
    return value;
  }

  sessionUser(value: string | undefined): DirectoryUser | undefined {
    const id = value ? this.sessions.get(value) : undefined;
    return id ? this.find(id) : undefined;
  }

  endSession(value: string | undefined): void {
    if (value) this.sessions.delete(value);
  }
}
