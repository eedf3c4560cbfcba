import type { HttpResponseInit } from '@azure/functions';
import { isSyncError } from '../../shared/errors.js';
import { mailSettingsPatchSchema, tenantMailSettingsPatchSchema } from '../../shared/mail/settings.js';
import {
  mailSettingsView,
  readTenantMailSettings,
  updateMailSettings,
  updateTenantMailSettings,
} from '../../shared/service/mail-settings.js';
import type { Req } from '../context.js';
import { type MailSettingsMessages, mailSettingsMessages } from '../i18n/mail-settings-messages.js';
import {
  formOf,
  type MailSettingsForm,
  mailSettingsPage,
  tenantSettingsPage,
} from '../views/mail-settings.js';

/**
 * The mail settings pages (issue 17 items 1 and 2): the same use cases and rules as
 * `GET/PATCH /api/accounts/{id}/mail-settings` and `/api/tenants/me/mail-settings`
 * (shared/service/mail-settings.ts), the body checked by the same schema.
 */
const settingsPath = (id: string) => `/konten/${encodeURIComponent(id)}/e-mail-einstellungen`;
export const TENANT_SETTINGS_PATH = '/verwaltung/e-mail-einstellungen';

/** Lines (or commas) → entries; blank ones dropped. */
const lines = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

function typed(form: URLSearchParams): MailSettingsForm {
  return {
    folders: form.get('folders') ?? '',
    windowDays: (form.get('windowDays') ?? '').trim(),
    excludeInternal: form.get('excludeInternal') === 'on',
    excludeNoReply: form.get('excludeNoReply') === 'on',
    excludeBulk: form.get('excludeBulk') === 'on',
    excludeCalendar: form.get('excludeCalendar') === 'on',
    privateCategory: (form.get('privateCategory') ?? '').trim(),
    blocklist: form.get('blocklist') ?? '',
    internalDomains: form.get('internalDomains') ?? '',
    visibility: form.get('visibility') ?? '',
  };
}

/** The form's labels, to name what a refused submit got wrong. */
function labelOf(t: MailSettingsMessages, field: string): string {
  const labels: Record<string, string> = {
    folders: t.foldersLegend,
    windowDays: t.windowLabel,
    privateCategory: t.privateCategory,
    blocklist: t.blocklistLabel,
    internalDomains: t.internalDomainsLabel,
    visibility: t.visibilityLegend,
  };
  return labels[field] ?? field;
}

export async function mailSettingsShow(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  const view = await mailSettingsView(req.web.deps, stored.value);
  return req.page(
    mailSettingsPage(req.frame(), mailSettingsMessages(req.locale), {
      accountId: id,
      email: stored.value.email,
      form: formOf(view),
      tenantBlocklist: view.tenantBlocklist,
    }),
  );
}

export async function mailSettingsSubmit(
  req: Req,
  id: string,
  form: URLSearchParams,
): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  const t = mailSettingsMessages(req.locale);
  const values = typed(form);
  const again = async (error: string, invalid: string[] = []) =>
    req.page(
      mailSettingsPage(req.frame(), t, {
        accountId: id,
        email: stored.value.email,
        form: values,
        tenantBlocklist: (await mailSettingsView(req.web.deps, stored.value)).tenantBlocklist,
        invalid,
        error,
      }),
      422,
    );
  const parsed = mailSettingsPatchSchema.safeParse({
    folders: values.folders,
    windowDays: /^\d{1,5}$/.test(values.windowDays) ? Number(values.windowDays) : values.windowDays,
    excludeInternal: values.excludeInternal,
    excludeNoReply: values.excludeNoReply,
    excludeBulk: values.excludeBulk,
    excludeCalendar: values.excludeCalendar,
    privateCategory: values.privateCategory === '' ? null : values.privateCategory,
    blocklist: lines(values.blocklist),
    internalDomains: lines(values.internalDomains),
    visibility: values.visibility,
  });
  if (!parsed.success) {
    const invalid = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))];
    return again(t.invalid(invalid.map((f) => labelOf(t, f)).join(', ')), invalid);
  }
  const audit = (outcome: string, detail?: string) =>
    req.web.audit?.({
      principal,
      account: stored.value,
      action: 'mailSettings',
      outcome,
      ...(detail ? { detail } : {}),
    });
  try {
    const change = await updateMailSettings(req.web.deps, stored, parsed.data);
    await audit(change.changed.length === 0 ? 'unchanged' : 'ok', change.changed.join(','));
    req.notice('ok', change.changed.length === 0 ? t.unchanged : t.saved);
    return req.redirect(settingsPath(id));
  } catch (error) {
    if (isSyncError(error, 'transient') && error.code === 'AccountContention') {
      await audit('conflict');
      return again(t.changedMeanwhile);
    }
    throw error;
  }
}

function adminTenant(req: Req): string | null {
  const principal = req.principal;
  return principal?.kind === 'tenantAdmin' ? principal.tenantId : null;
}

export async function tenantSettingsShow(req: Req): Promise<HttpResponseInit> {
  const tenantId = adminTenant(req);
  // Like the administration page: not there for anyone but the tenant's administrators.
  if (!tenantId) return req.error(404, 'NotFound');
  const settings = await readTenantMailSettings(req.web.deps, tenantId);
  return req.page(
    tenantSettingsPage(req.frame(), mailSettingsMessages(req.locale), {
      blocklist: settings.blocklist.join('\n'),
    }),
  );
}

export async function tenantSettingsSubmit(req: Req, form: URLSearchParams): Promise<HttpResponseInit> {
  const tenantId = adminTenant(req);
  const principal = req.principal;
  if (!tenantId || !principal) return req.error(404, 'NotFound');
  const t = mailSettingsMessages(req.locale);
  const blocklist = form.get('blocklist') ?? '';
  const parsed = tenantMailSettingsPatchSchema.safeParse({ blocklist: lines(blocklist) });
  if (!parsed.success)
    return req.page(
      tenantSettingsPage(req.frame(), t, {
        blocklist,
        invalid: true,
        error: t.invalid(t.blocklistLabel),
      }),
      422,
    );
  const change = await updateTenantMailSettings(req.web.deps, tenantId, parsed.data);
  await req.web.audit?.({
    principal,
    account: { id: null, tenantId },
    action: 'tenantMailSettings',
    outcome: change.changed.length === 0 ? 'unchanged' : 'ok',
    ...(change.changed.length > 0 ? { detail: change.changed.join(',') } : {}),
  });
  req.notice('ok', change.changed.length === 0 ? t.unchanged : t.saved);
  return req.redirect(TENANT_SETTINGS_PATH);
}
