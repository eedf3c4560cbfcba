import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Account } from '../shared/accounts/account.js';
import { migrateBodySchema, registerAccountSchema } from '../shared/accounts/new-account.js';
import { nodeDnsResolver } from '../shared/accounts/provider.js';
import {
  canAccess,
  canReadAudit,
  canRegister,
  type Principal,
  visibleAccounts,
} from '../shared/auth/index.js';
import { isSyncError } from '../shared/errors.js';
import type { Stored } from '../shared/ports.js';
import { accountView } from '../shared/service/account-view.js';
import { type AuditEntry, auditEntry, auditTenants } from '../shared/service/audit.js';
import { exportContactsCsv } from '../shared/service/export-contacts.js';
import { decideHeldDeletes, type HeldDeleteDecision } from '../shared/service/held-delete-decision.js';
import { migrateAccount } from '../shared/service/migrate-account.js';
import { registerAccount } from '../shared/service/register-account.js';
import { requestRemoval } from '../shared/service/remove-account.js';
import { type ApiContext, authenticated } from './api-context.js';
import { checkQuery, json, jsonError, MAX_API_BODY_BYTES, parseJson, readJson, readRawBody } from './http.js';

/**
 * The accounts API (DESIGN section 8) behind sign-in (section 11). Each handler: check the
 * input, find the account the principal may see (anything else is a 404, exactly as for an
 * account that does not exist), call a shared/service use case, record the audit entry, shape.
 */
type Api = ApiContext & { principal: Principal };

export const accountsList = authenticated(async (request, _context, api) => {
  const query = checkQuery(request, {});
  if (!query.ok) return query.response;
  const all: Account[] = [];
  for await (const account of api.rt.deps.accounts.list()) all.push(account);
  const items = [];
  for (const account of visibleAccounts(api.principal, all))
    items.push(await accountView(api.rt.deps, account, { countLinks: false }));
  return json(200, { items });
});

/** userId goes into Graph paths: an object id (GUID) or a UPN, nothing else. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._%+'@-]{0,319}$/;
const registerSchema = registerAccountSchema.refine((b) => b.userId === undefined || USER_ID.test(b.userId), {
  path: ['userId'],
  message: 'a user object id or user principal name',
});

export const accountsRegister = authenticated(async (request, context, api) => {
  const body = await readJson(request, registerSchema, MAX_API_BODY_BYTES);
  if (!body.ok) return body.response;
  const { principal, rt } = api;
  const allowed = canRegister(principal, body.value);
  const audit = (fields: Omit<Parameters<typeof auditEntry>[2], 'action'>) =>
    record(api, context, auditEntry(principal, rt.deps.clock.now(), { action: 'register', ...fields }));
  if (!allowed.ok) {
    // Filed under the caller's own tenant: a refused attempt must not write into another tenant's log.
    await audit({ tenantId: principal.tenantId, accountId: null, outcome: 'refused' });
    return notFoundMailbox();
  }
  const input = { ...body.value, tenantId: allowed.tenantId, userId: allowed.userId };
  const result = await registerAccount(rt.deps, input, { visible: (a) => canAccess(principal, a) });
  await audit({
    tenantId: allowed.tenantId,
    accountId: result.ok ? result.account.id : null,
    outcome: result.ok ? 'ok' : result.code,
    detail: body.value.email,
  });
  if (!result.ok) return jsonError(result.status, result.code, result.message);
  context.log(`account ${result.account.id} registered (${result.account.syncVersion})`);
  return json(201, await accountView(rt.deps, result.account));
});

export const accountsGet = authenticated(async (request, _context, api) => {
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  return json(200, await accountView(api.rt.deps, stored.value));
});

/**
 * DELETE /api/accounts/{id}: the account is marked `removing` and its removal queued
 * (shared/service/remove-account.ts): 202 with the account as marked. Asking again while it is
 * removed is another 202; once it is gone, like any account the caller may not see, a 404.
 */
export const accountsRemove = authenticated(async (request, context, api) => {
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  const marked = await requestRemoval(api.rt.deps, stored.value.id);
  await record(api, context, accountAudit(api, stored.value, 'remove', marked ? 'requested' : 'gone'));
  if (!marked) return notFound();
  context.log(`account ${stored.value.id} is being removed`);
  return json(202, await accountView(api.rt.deps, marked, { countLinks: false }));
});

export const accountsMigrate = authenticated(async (request, context, api) => {
  const { rt } = api;
  // The body is optional (an empty body means {}); read it whatever its framing.
  const raw = await readRawBody(request, MAX_API_BODY_BYTES);
  if (!raw.ok) return raw.response;
  const body = raw.raw === '' ? { ok: true as const, value: {} } : parseJson(raw.raw, migrateBodySchema);
  if (!body.ok) return body.response;
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  if (stored.value.removal) return beingRemoved();
  const result = await migrateAccount(
    rt.deps,
    { resolver: nodeDnsResolver, graphApp: rt.config.graph, publicBaseUrl: rt.config.publicBaseUrl },
    stored,
    body.value,
  );
  const outcome = result.kind === 'onPremisesFailed' ? result.code : result.kind;
  await record(api, context, accountAudit(api, stored.value, 'migrate', outcome));
  switch (result.kind) {
    case 'migrated':
      context.log(`account ${stored.value.id} migrated to V3`);
      return json(200, await accountView(rt.deps, result.account));
    case 'adminConsentRequired':
      return json(409, {
        state: 'adminConsentRequired',
        adminConsentUrl: result.adminConsentUrl,
        message: result.message,
      });
    case 'chooseProvider':
      return json(409, {
        state: 'providerChoiceRequired',
        message: result.reason,
        choices: ['microsoft365', 'onPremises'],
      });
    case 'unsupported':
      return json(422, { state: 'providerNotSupported', message: result.message });
    case 'onPremisesFailed':
      // Which of wrong password / unreachable host / bad certificate; nothing was stored.
      return json(422, { state: 'onPremisesConnectFailed', code: result.code, message: result.message });
  }
});

export const accountsConfirmDeletes = authenticated((request, _context, api) =>
  heldDeletes(request, api, 'confirm'),
);

/** "Verwerfen": the held deletes are not carried out (shared/service/held-deletes.ts). */
export const accountsRejectDeletes = authenticated((request, _context, api) =>
  heldDeletes(request, api, 'reject'),
);

async function heldDeletes(request: HttpRequest, api: Api, decision: HeldDeleteDecision) {
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  if (stored.value.removal) return beingRemoved();
  let result: Awaited<ReturnType<typeof decideHeldDeletes>>;
  try {
    result = await decideHeldDeletes(api.rt.deps, api.audit, api.principal, stored, decision);
  } catch (error) {
    // The worker changed the account meanwhile (ETag): nothing was decided; the caller retries.
    if (isSyncError(error, 'conflict'))
      return jsonError(409, 'AccountChanged', 'the account changed meanwhile; try again');
    throw error;
  }
  if (!result.ok) return jsonError(409, 'NothingHeld', 'no deletes are held for this account');
  return result.decision === 'confirm'
    ? json(202, { confirmed: result.confirmed })
    : json(200, { restored: result.restored, unlinked: result.unlinked });
}

export const accountsExport = authenticated(async (request, context, api) => {
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  await record(api, context, accountAudit(api, stored.value, 'export', 'ok'));
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${stored.value.id}.csv"`,
      'cache-control': 'no-store',
    },
    body: exportContactsCsv(api.rt.deps, stored.value.id),
  };
});

/** GET /api/audit?limit=N — the audit log of the tenants the caller administers, newest first. */
export const auditList = authenticated(async (request, _context, api) => {
  const query = checkQuery(request, { limit: /^[1-9][0-9]{0,2}$/ });
  if (!query.ok) return query.response;
  if (!canReadAudit(api.principal)) {
    return jsonError(403, 'Forbidden', 'only tenant administrators and service callers read the audit log');
  }
  const limit = Math.min(Number(query.values.limit ?? 100), 500);
  const items = await api.audit.list({ tenants: auditTenants(api.principal), limit });
  return json(200, { items });
});

function accountAudit(
  api: Api,
  account: Account,
  action: AuditEntry['action'],
  outcome: string,
  detail?: string,
): AuditEntry {
  return auditEntry(api.principal, api.rt.deps.clock.now(), {
    action,
    tenantId: account.tenantId,
    accountId: account.id,
    outcome,
    detail,
  });
}

/** The audit write never turns a done action into an error answer; a lost entry is logged. */
async function record(api: Api, context: InvocationContext, entry: AuditEntry): Promise<void> {
  try {
    await api.audit.record(entry);
  } catch (error) {
    context.error(
      `audit entry ${entry.action} ${entry.accountId ?? ''} not written: ${api.rt.redact(error)}`,
    );
  }
}

function notFound(): HttpResponseInit {
  return jsonError(404, 'AccountNotFound', 'no such account');
}

/** An account being removed syncs no more: nothing may connect it again or write to its mailbox. */
function beingRemoved(): HttpResponseInit {
  return jsonError(409, 'AccountBeingRemoved', 'the account is being removed (DELETE /api/accounts/{id})');
}

function notFoundMailbox(): HttpResponseInit {
  return jsonError(404, 'MailboxNotFound', 'no mailbox of that address that you may register');
}

/** Account ids are UUIDs; anything else (too long, odd characters) names no account. */
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/** The account, if it exists and the principal may see it; null (→ 404) otherwise. */
async function findAccount(api: Api, request: HttpRequest): Promise<Stored<Account> | null> {
  const id = request.params.id;
  if (!id || !ACCOUNT_ID.test(id)) return null;
  const stored = await api.rt.deps.accounts.get(id);
  return stored && canAccess(api.principal, stored.value) ? stored : null;
}
