import type { HttpResponseInit } from '@azure/functions';
import { migrateBodySchema } from '../../shared/accounts/new-account.js';
import type { Principal } from '../../shared/auth/principal.js';
import { type MigrateResult, migrateAccount } from '../../shared/service/migrate-account.js';
import { adminConsentUrl } from '../auth/oidc-client.js';
import type { Req } from '../context.js';
import { originOf } from '../http.js';
import { newToken } from '../session/session-store.js';
import { consentPage, type OnPremError, onPremPage, providerPage } from '../views/migration.js';
import { startSignIn } from './sign-in.js';

/**
 * "Zu V3 migrieren" (seeds/001): the button → the Microsoft sign-in with the mailbox's address
 * → migrated; or the administrator approval, or the provider choice, as the sign-in requires.
 * Every step acts through shared/service/migrate-account.ts, the same use case as the API.
 */
const accountPath = (id: string) => `/konten/${encodeURIComponent(id)}`;
export const CONSENT_RETURN_PATH = '/auth/admin-freigabe';

export async function migrateStart(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  return startSignIn(req, { kind: 'migrate', accountId: id, provider: null }, stored.value.email);
}

/**
 * A Microsoft sign-in whose user is the mailbox (or a user of the mailbox's domain) proves the
 * mailbox is Microsoft 365; otherwise the provider is detected (MX) and may need the choice.
 */
function provenMicrosoft365(principal: Principal, email: string): boolean {
  const domain = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return principal.username.includes('@') && domain(principal.username) === domain(email);
}

/** Migrates as the signed-in user; null when the account is not theirs. */
async function migrateAs(
  req: Req,
  id: string,
  provider: 'microsoft365' | null,
): Promise<MigrateResult | null> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return null;
  const chosen = provider ?? (provenMicrosoft365(principal, stored.value.email) ? 'microsoft365' : undefined);
  const result = await migrateAccount(
    req.web.deps,
    req.web.migration,
    stored,
    chosen ? { provider: chosen } : {},
  );
  await req.web.audit?.({ principal, account: stored.value, action: 'migrate', outcome: result.kind });
  if (result.kind === 'migrated') req.notice('ok', req.m.migrated(stored.value.email));
  if (result.kind === 'unsupported') req.notice('error', result.message);
  return result;
}

/** After the sign-in: migrate, and show what happened (or the step the migration needs next). */
export async function finishMigrationSignIn(
  req: Req,
  id: string,
  provider: 'microsoft365' | null,
): Promise<HttpResponseInit> {
  const result = await migrateAs(req, id, provider);
  if (!result) return req.error(404, 'NotFound');
  switch (result.kind) {
    case 'migrated':
    case 'unsupported':
    case 'onPremisesFailed':
      return req.redirect('/');
    case 'adminConsentRequired':
      return req.redirect(`${accountPath(id)}/admin-freigabe`);
    case 'chooseProvider':
      return req.redirect(`${accountPath(id)}/anbieter`);
  }
}

export async function consentShow(req: Req, id: string, stillMissing = false): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  return req.page(
    consentPage(req.frame(), {
      accountId: id,
      email: stored.value.email,
      appName: req.web.appDisplayName,
      legacyAppName: req.web.legacyAppDisplayName,
      stillMissing,
    }),
  );
}

/** "Wenn Sie über ein Administratorkonto verfügen, melden Sie sich mit diesem an": to /adminconsent. */
export async function consentStart(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  const session = req.ensureSession();
  const state = newToken();
  session.data.flow = {
    state,
    verifier: '',
    nonce: '',
    intent: { kind: 'adminConsent', accountId: id },
    startedAt: req.web.wallNow(),
  };
  return req.redirect(
    adminConsentUrl(req.web.oidc, {
      tenant: stored.value.tenantId ?? principal.tenantId,
      appClientId: req.web.appClientId,
      redirectUri: originOf(req.request) + CONSENT_RETURN_PATH,
      state,
    }),
  );
}

/** The administrator is back (`admin_consent=True`, or an error): resume the migration. */
export async function consentReturn(req: Req): Promise<HttpResponseInit> {
  const query = new URL(req.request.url).searchParams;
  const flow = req.session?.data.flow ?? null;
  if (!req.session || !flow || flow.intent.kind !== 'adminConsent' || query.get('state') !== flow.state)
    return req.error(400, 'ConsentStateMismatch');
  const id = flow.intent.accountId;
  req.session.data.flow = null;
  req.touch();
  if (query.get('admin_consent')?.toLowerCase() !== 'true') return consentShow(req, id, true);
  const result = await migrateAs(req, id, 'microsoft365');
  if (!result) return req.error(404, 'NotFound');
  // Still no consent (the administrator approved another app, e.g. the old V2 one): say so.
  if (result.kind === 'adminConsentRequired') return consentShow(req, id, true);
  return req.redirect('/');
}

export async function providerShow(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  return req.page(providerPage(req.frame(), { accountId: id, email: stored.value.email }));
}

export async function providerChoose(req: Req, id: string, form: URLSearchParams): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  const provider = form.get('provider');
  if (provider === 'microsoft365')
    return startSignIn(req, { kind: 'migrate', accountId: id, provider: 'microsoft365' }, stored.value.email);
  if (provider === 'onPremises') return req.redirect(`${accountPath(id)}/exchange-server`);
  return req.error(400, 'InvalidProvider');
}

export async function onPremShow(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  return req.page(onPremPage(req.frame(), { accountId: id, email: stored.value.email }));
}

const ON_PREM_ERRORS: readonly OnPremError[] = [
  'EwsWrongPassword',
  'EwsHostUnreachable',
  'EwsBadCertificate',
  'EwsNotExchange',
];

/**
 * The on-premises form: the same use case as `POST /api/accounts/{id}/migrate` with provider
 * onPremises (connect test first; on success the password goes to the SecretStore and the
 * account to V3 over EWS). A failure names which (wrong password, unreachable host, bad
 * certificate) and stores nothing; the password is never shown again.
 */
export async function onPremSubmit(req: Req, id: string, form: URLSearchParams): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  const typed = {
    host: (form.get('host') ?? '').trim(),
    username: (form.get('username') ?? '').trim(),
    caPem: (form.get('caPem') ?? '').trim(),
  };
  const again = (error: OnPremError) =>
    req.page(onPremPage(req.frame(), { accountId: id, email: stored.value.email, error, ...typed }), 422);
  const body = migrateBodySchema.safeParse({
    provider: 'onPremises',
    host: typed.host,
    username: typed.username,
    password: form.get('password') ?? '',
    ...(typed.caPem === '' ? {} : { caPem: typed.caPem }),
  });
  if (!body.success) return again('invalid');
  const result = await migrateAccount(req.web.deps, req.web.migration, stored, body.data);
  const outcome = result.kind === 'onPremisesFailed' ? result.code : result.kind;
  await req.web.audit?.({ principal, account: stored.value, action: 'migrate', outcome });
  switch (result.kind) {
    case 'migrated':
      req.notice('ok', req.m.migrated(stored.value.email));
      return req.redirect('/');
    case 'onPremisesFailed':
      return again(
        (ON_PREM_ERRORS as readonly string[]).includes(result.code)
          ? (result.code as OnPremError)
          : 'EwsNotExchange',
      );
    case 'unsupported':
      return again('unsupported');
    default:
      return req.redirect('/');
  }
}
