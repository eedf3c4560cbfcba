import type { HttpResponseInit } from '@azure/functions';
import type { Account } from '../../shared/accounts/account.js';
import { visibleAccounts } from '../../shared/auth/rules.js';
import { accountView } from '../../shared/service/account-view.js';
import type { Req } from '../context.js';
import { type AccountRow, accountRow } from '../models/account-row.js';
import { personalPage } from '../views/accounts.js';
import { signInPage } from '../views/errors.js';

/** The accounts the principal may see, as rows (the same rule and view the API uses). */
export async function visibleRows(
  req: Req,
  filter: (a: Account) => boolean = () => true,
): Promise<AccountRow[]> {
  const principal = req.principal;
  if (!principal) return [];
  const all: Account[] = [];
  for await (const account of req.web.deps.accounts.list()) all.push(account);
  const mine = visibleAccounts(principal, all).filter(filter);
  const views = await Promise.all(mine.map((a) => accountView(req.web.deps, a)));
  return views.map((v) => accountRow(v, req.locale, req.m)).sort((a, b) => a.email.localeCompare(b.email));
}

/** "Persönliche E-Mail-Synchronisierung": the signed-in user's own accounts. */
export async function personal(req: Req): Promise<HttpResponseInit> {
  if (!req.principal) return req.page(signInPage(req.frame(), '/', null));
  const principal = req.principal;
  // An administrator's personal page shows their own mailboxes, not the whole tenant.
  const own = (a: Account) =>
    a.userId === principal.objectId || a.email.toLowerCase() === principal.username.toLowerCase();
  const rows = await visibleRows(req, principal.kind === 'agent' ? () => true : own);
  return req.page(personalPage(req.frame(), rows));
}
