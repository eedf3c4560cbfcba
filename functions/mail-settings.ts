import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Account } from '../shared/accounts/account.js';
import { canAccess, type Principal } from '../shared/auth/index.js';
import { isSyncError } from '../shared/errors.js';
import { mailSettingsPatchSchema, tenantMailSettingsPatchSchema } from '../shared/mail/settings.js';
import type { Stored } from '../shared/ports.js';
import { type AuditEntry, auditEntry } from '../shared/service/audit.js';
import {
  mailSettingsView,
  readTenantMailSettings,
  updateMailSettings,
  updateTenantMailSettings,
} from '../shared/service/mail-settings.js';
import { type ApiContext, authenticated } from './api-context.js';
import { checkQuery, json, jsonError, MAX_API_BODY_BYTES, readJson } from './http.js';

/**
 * The mail settings API (issue 17, items 1 and 2; README "Mail settings"):
 *   GET/PATCH /api/accounts/{id}/mail-settings   the account's own (agent: their own accounts;
 *                                                tenant admin: the tenant's; service: its tenants')
 *   GET/PATCH /api/tenants/me/mail-settings      the caller's tenant's blocklist (tenant admin only)
 * An account the caller may not see is a 404, exactly as one that does not exist. Every change
 * (refused ones too) goes to the audit log, like the other administrative changes.
 */
type Api = ApiContext & { principal: Principal };

const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

async function findAccount(api: Api, request: HttpRequest): Promise<Stored<Account> | null> {
  const id = request.params.id;
  if (!id || !ACCOUNT_ID.test(id)) return null;
  const stored = await api.rt.deps.accounts.get(id);
  return stored && canAccess(api.principal, stored.value) ? stored : null;
}

const notFound = () => jsonError(404, 'AccountNotFound', 'no such account');

async function record(api: Api, context: InvocationContext, entry: AuditEntry): Promise<void> {
  try {
    await api.audit.record(entry);
  } catch (error) {
    context.error(`audit entry ${entry.action} not written: ${api.rt.redact(error)}`);
  }
}

export const accountMailSettingsGet = authenticated(async (request, _context, api) => {
  const query = checkQuery(request, {});
  if (!query.ok) return query.response;
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  return json(200, await mailSettingsView(api.rt.deps, stored.value));
});

export const accountMailSettingsPatch = authenticated(async (request, context, api) => {
  const query = checkQuery(request, {});
  if (!query.ok) return query.response;
  const body = await readJson(request, mailSettingsPatchSchema, MAX_API_BODY_BYTES);
  if (!body.ok) return body.response;
  const stored = await findAccount(api, request);
  if (!stored) return notFound();
  const audit = (outcome: string, detail?: string) =>
    record(
      api,
      context,
      auditEntry(api.principal, api.rt.deps.clock.now(), {
        action: 'mailSettings',
        tenantId: stored.value.tenantId,
        accountId: stored.value.id,
        outcome,
        detail,
      }),
    );
  try {
    const change = await updateMailSettings(api.rt.deps, stored, body.value);
    await audit(change.changed.length === 0 ? 'unchanged' : 'ok', change.changed.join(',') || undefined);
    return json(200, await mailSettingsView(api.rt.deps, change.account));
  } catch (error) {
    if (isSyncError(error, 'transient') && error.code === 'AccountContention') {
      await audit('conflict');
      return jsonError(409, 'AccountChanged', 'the account changed meanwhile; try again');
    }
    if (isSyncError(error, 'notFound')) return notFound();
    throw error;
  }
});

/** Only a tenant administrator has a tenant of "me" to administer; anyone else: 403. */
function tenantOf(principal: Principal): string | null {
  return principal.kind === 'tenantAdmin' ? principal.tenantId : null;
}

const forbidden = (): HttpResponseInit =>
  jsonError(403, 'Forbidden', "only the tenant's administrators read and change its mail settings");

export const tenantMailSettingsGet = authenticated(async (request, _context, api) => {
  const query = checkQuery(request, {});
  if (!query.ok) return query.response;
  const tenantId = tenantOf(api.principal);
  if (!tenantId) return forbidden();
  return json(200, { tenantId, ...(await readTenantMailSettings(api.rt.deps, tenantId)) });
});

export const tenantMailSettingsPatch = authenticated(async (request, context, api) => {
  const query = checkQuery(request, {});
  if (!query.ok) return query.response;
  const tenantId = tenantOf(api.principal);
  const audit = (outcome: string, detail?: string) =>
    record(
      api,
      context,
      auditEntry(api.principal, api.rt.deps.clock.now(), {
        action: 'tenantMailSettings',
        // A refused attempt is filed under the caller's own tenant.
        tenantId: tenantId ?? api.principal.tenantId,
        accountId: null,
        outcome,
        detail,
      }),
    );
  if (!tenantId) {
    await audit('refused');
    return forbidden();
  }
  const body = await readJson(request, tenantMailSettingsPatchSchema, MAX_API_BODY_BYTES);
  if (!body.ok) return body.response;
  try {
    const change = await updateTenantMailSettings(api.rt.deps, tenantId, body.value);
    await audit(change.changed.length === 0 ? 'unchanged' : 'ok', change.changed.join(',') || undefined);
    return json(200, { tenantId, ...change.settings });
  } catch (error) {
    if (isSyncError(error, 'transient') && error.code === 'TenantSettingsContention') {
      await audit('conflict');
      return jsonError(409, 'TenantSettingsChanged', 'the settings changed meanwhile; try again');
    }
    throw error;
  }
});
