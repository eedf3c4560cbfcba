import type { Account } from '../accounts/account.js';
import type { OnPremisesConnection } from '../accounts/on-premises.js';
import type { ExchangeContacts } from '../ports.js';
import type { SyncDeps } from './deps.js';

/**
 * Which Exchange adapter serves an account (issue 18): Graph for Microsoft 365, EWS for an
 * account on its own Exchange server. The engine never branches on it: the worker binds the
 * account's adapter into `deps.exchange` (`forAccount`), and whether the account is pushed
 * (subscriptions) or polled is the adapter's `subscriptions` capability (ports.ts).
 */

/** The account's contacts adapter: `deps.exchangeFor`'s answer, else the one `exchange`. */
export function contactsOf(deps: SyncDeps, account: Account): ExchangeContacts {
  return deps.exchangeFor ? deps.exchangeFor(account) : deps.exchange;
}

/** `deps` with the account's own adapter as `exchange`, for work on that account. */
export function forAccount(deps: SyncDeps, account: Account): SyncDeps {
  if (!deps.exchangeFor) return deps;
  return { ...deps, exchange: deps.exchangeFor(account) };
}

/** Polled (EWS) rather than pushed (Graph subscriptions): the polling timer's accounts. */
export function isPolled(deps: SyncDeps, account: Account): boolean {
  return contactsOf(deps, account).subscriptions === undefined;
}

/** The connection an on-premises account's adapter is built from; null for every other account. */
export function onPremisesOf(account: Account): OnPremisesConnection | null {
  return account.provider === 'onPremises' && account.onPremises ? account.onPremises : null;
}

export interface AccountRouterOptions<T> {
  /** The one adapter of every Microsoft 365 account (one Graph client for the app). */
  graph: T;
  /** Builds an on-premises account's adapter from its connection (its own server, login, CA). */
  onPremises: (account: Account, connection: OnPremisesConnection) => T;
  /** Releases an adapter that is no longer used (its kept-alive connections). */
  close?: (adapter: T) => void;
}

/**
 * One adapter per on-premises account, built on first use and cached by account id, so a
 * mailbox keeps its one transport (its two NTLM-authenticated connections) across messages;
 * built again, and the old one closed, when the account's connection settings change (a new
 * server, login, CA or password secret). Any adapter kind plugs in the same way: contacts
 * here (functions/runtime.ts), mail with an `AccountRouter<ExchangeMail>` of its own.
 */
export class AccountRouter<T> {
  private readonly built = new Map<string, { key: string; adapter: T }>();

  constructor(private readonly options: AccountRouterOptions<T>) {}

  for(account: Account): T {
    const connection = onPremisesOf(account);
    if (!connection) {
      this.drop(account.id);
      return this.options.graph;
    }
    const key = connectionKey(connection);
    const cached = this.built.get(account.id);
    if (cached?.key === key) return cached.adapter;
    this.drop(account.id);
    const adapter = this.options.onPremises(account, connection);
    this.built.set(account.id, { key, adapter });
    return adapter;
  }

  /** Forgets (and closes) the account's adapter: the next use builds it again. */
  drop(accountId: string): void {
    const cached = this.built.get(accountId);
    if (!cached) return;
    this.built.delete(accountId);
    this.options.close?.(cached.adapter);
  }

  close(): void {
    for (const id of [...this.built.keys()]) this.drop(id);
  }

  /** How many on-premises adapters are built (for tests). */
  get size(): number {
    return this.built.size;
  }
}

function connectionKey(c: OnPremisesConnection): string {
  return JSON.stringify([c.ewsUrl, c.username, c.auth, c.caPem, c.secretName]);
}
