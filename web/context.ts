import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { Account } from '../shared/accounts/account.js';
import type { Principal } from '../shared/auth/principal.js';
import { canAccess } from '../shared/auth/rules.js';
import type { Stored } from '../shared/ports.js';
import type { MigrationEnv } from '../shared/service/migrate-account.js';
import type { SyncDeps } from '../shared/sync/deps.js';
import type { OidcClientConfig } from './auth/oidc-client.js';
import type { Html } from './html.js';
import { htmlResponse, jsonError, redirect, securityHeaders, wantsHtml } from './http.js';
import { type Locale, pickLocale } from './i18n/locale.js';
import { type Messages, messages } from './i18n/messages.js';
import type { SessionStore } from './session/session-store.js';
import { blankSession, type LoadedSession, loadSession, sessionCookie } from './session/web-session.js';
import { messagePage, signInPage } from './views/errors.js';
import type { Frame } from './views/layout.js';

/** What the pages need from the app: the same services and rules the API uses. */
export interface WebDeps {
  deps: SyncDeps;
  sessions: SessionStore<Principal>;
  /** shared/auth's access-token validation: the token → the principal it proves. */
  validateAccessToken(token: string): Promise<Principal>;
  oidc: OidcClientConfig;
  /** The product app (admin consent is granted to it). */
  appClientId: string;
  appDisplayName: string;
  legacyAppDisplayName: string;
  migration: MigrationEnv;
  /** Real time, for session lifetimes (the product clock may be shifted for deadline demos). */
  wallNow(): number;
  /** Dead-lettered messages, where this deployment can read them (the local poison queues). */
  deadLetters?(): Promise<{ reason: string; queue: string; movedAt: string; body: string }[]>;
  /** The audit log entries the administrator may read (newest first). */
  readAudit?(
    principal: Principal,
  ): Promise<{ at: string; who: string; action: string; account: string | null; outcome: string }[]>;
  /**
   * Records migrations, held-delete decisions, exports and mail settings changes in the audit
   * log, as the API does (a tenant's settings: `account.id` null).
   */
  audit?(entry: {
    principal: Principal;
    account: Pick<Account, 'tenantId'> & { id: string | null };
    action:
      | 'export'
      | 'migrate'
      | 'confirmDeletes'
      | 'rejectDeletes'
      | 'mailSettings'
      | 'tenantMailSettings'
      | 'remove';
    outcome: string;
    detail?: string;
  }): Promise<void>;
}

/** One request: locale, session, and helpers to answer it. */
export class Req {
  readonly locale: Locale;
  readonly m: Messages;
  session: LoadedSession<Principal> | null = null;
  private dirty = false;

  constructor(
    readonly web: WebDeps,
    readonly request: HttpRequest,
    readonly path: string,
  ) {
    this.locale = pickLocale(request.headers.get('accept-language'));
    this.m = messages(this.locale);
  }

  async load(): Promise<void> {
    this.session = await loadSession(this.web.sessions, this.request, this.web.wallNow());
  }

  get principal(): Principal | null {
    return this.session?.data.principal ?? null;
  }

  /** The session, created when missing (sign-in flows need one before there is a user). */
  ensureSession(): LoadedSession<Principal> {
    if (!this.session) this.session = blankSession<Principal>(this.web.wallNow());
    this.dirty = true;
    return this.session;
  }

  touch(): void {
    this.dirty = true;
  }

  /** Takes the one-time notice for the page being rendered. */
  frame(): Frame {
    const data = this.session?.data;
    const notice = data?.notice ?? null;
    if (notice && data) {
      data.notice = null;
      this.dirty = true;
    }
    return {
      m: this.m,
      user: data?.principal ? (data.displayName ?? data.principal.username) : null,
      isAdmin: data?.principal?.kind === 'tenantAdmin',
      csrf: data?.csrf ?? null,
      notice,
    };
  }

  notice(tone: 'ok' | 'error', text: string): void {
    const session = this.ensureSession();
    session.data.notice = { tone, text };
  }

  /** Saves the session if it changed and returns the headers the answer carries. */
  async headers(): Promise<Record<string, string>> {
    const headers = securityHeaders({ formTargets: [new URL(this.web.oidc.authorityHost).origin] });
    if (this.session && this.dirty) {
      await this.web.sessions.put(this.session.id, this.session.data);
      headers['set-cookie'] = sessionCookie(this.request, this.session.id, this.session.data.expiresAt);
    }
    return headers;
  }

  async page(body: Html, status = 200): Promise<HttpResponseInit> {
    return htmlResponse(status, body, await this.headers());
  }

  async redirect(location: string): Promise<HttpResponseInit> {
    return redirect(location, await this.headers());
  }

  /** 401: a sign-in page for browsers, the API's JSON error for other clients. */
  async signInRequired(): Promise<HttpResponseInit> {
    if (!wantsHtml(this.request))
      return jsonError(401, 'SignInRequired', 'sign in first (GET /anmelden)', await this.headers());
    const returnTo = this.request.method === 'GET' ? this.path + new URL(this.request.url).search : '/';
    const frame = this.frame();
    return htmlResponse(401, signInPage(frame, returnTo, this.m.sessionExpired), await this.headers());
  }

  async error(status: 400 | 403 | 404 | 405 | 413, code: string): Promise<HttpResponseInit> {
    if (!wantsHtml(this.request))
      return jsonError(status, code, code === 'NotFound' ? 'no such page' : code, await this.headers());
    const frame = this.frame();
    const page =
      status === 404
        ? messagePage(frame, this.m.notFoundTitle, this.m.notFoundText)
        : messagePage(frame, this.m.forbiddenTitle, this.m.forbiddenText);
    return htmlResponse(status, page, await this.headers());
  }

  /** The account, if the signed-in principal may see it (else null: the page answers 404, as the API). */
  async account(id: string): Promise<Stored<Account> | null> {
    const principal = this.principal;
    if (!principal || !/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/.test(id)) return null;
    const stored = await this.web.deps.accounts.get(id);
    return stored && canAccess(principal, stored.value) ? stored : null;
  }
}
