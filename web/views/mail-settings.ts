import type { MailSettings } from '../../shared/mail/settings.js';
import { type Html, html } from '../html.js';
import type { MailSettingsMessages } from '../i18n/mail-settings-messages.js';
import { csrfField, type Frame, page } from './layout.js';

/**
 * The account's mail settings page (`/konten/{id}/e-mail-einstellungen`) and the tenant's
 * blocklist page for administrators (`/verwaltung/e-mail-einstellungen`): every setting with
 * its current (effective) value, as one form. After a submit that did not validate, the page
 * comes again with what was typed, the fields named in an alert and marked aria-invalid.
 */

/** What the form shows: the settings as typed (lists as lines), so a refused submit keeps them. */
export interface MailSettingsForm {
  folders: string;
  windowDays: string;
  excludeInternal: boolean;
  excludeNoReply: boolean;
  excludeBulk: boolean;
  excludeCalendar: boolean;
  privateCategory: string;
  blocklist: string;
  internalDomains: string;
  visibility: string;
}

export function formOf(settings: MailSettings): MailSettingsForm {
  return {
    ...settings,
    windowDays: String(settings.windowDays),
    privateCategory: settings.privateCategory ?? '',
    blocklist: settings.blocklist.join('\n'),
    internalDomains: settings.internalDomains.join('\n'),
  };
}

export interface MailSettingsModel {
  accountId: string;
  email: string;
  form: MailSettingsForm;
  tenantBlocklist: string[];
  /** Fields a refused submit got wrong (their form names). */
  invalid?: string[];
  /** The alert's text for a refused submit. */
  error?: string | null;
}

const base = (id: string) => `/konten/${encodeURIComponent(id)}`;

function invalidAttr(model: { invalid?: string[] }, name: string): Html {
  return model.invalid?.includes(name) ? html` aria-invalid="true"` : html``;
}

function checkbox(model: MailSettingsModel, name: keyof MailSettingsForm, label: string): Html {
  const checked = model.form[name] === true;
  return html`<div class="radio">
    <input type="checkbox" id="ms-${name}" name="${name}" value="on"${checked ? html` checked` : html``}>
    <label for="ms-${name}">${label}</label>
  </div>`;
}

function radio(model: MailSettingsModel, name: 'folders' | 'visibility', value: string, label: string): Html {
  const checked = model.form[name] === value;
  return html`<div class="radio">
    <input type="radio" id="ms-${name}-${value}" name="${name}" value="${value}"${checked ? html` checked` : html``}>
    <label for="ms-${name}-${value}">${label}</label>
  </div>`;
}

export function mailSettingsPage(frame: Frame, t: MailSettingsMessages, model: MailSettingsModel): Html {
  const { m } = frame;
  const body = html`
    ${model.error && html`<div class="notice notice-error" role="alert">${model.error}</div>`}
    <p>${t.intro}</p>
    <form method="post" action="${base(model.accountId)}/e-mail-einstellungen" class="mail-settings">
      ${csrfField(frame)}
      <fieldset>
        <legend>${t.foldersLegend}</legend>
        ${radio(model, 'folders', 'inboxAndSent', t.foldersInboxAndSent)}
        ${radio(model, 'folders', 'all', t.foldersAll)}
        <p class="hint">${t.foldersHint}</p>
      </fieldset>
      <div class="field">
        <label for="ms-windowDays">${t.windowLabel}</label>
        <input id="ms-windowDays" name="windowDays" type="number" min="1" max="3650" step="1" required value="${model.form.windowDays}" aria-describedby="ms-window-hint"${invalidAttr(model, 'windowDays')}>
        <p id="ms-window-hint" class="hint">${t.windowHint}</p>
      </div>
      <fieldset>
        <legend>${t.exclusionsLegend}</legend>
        ${checkbox(model, 'excludeInternal', t.excludeInternal)}
        ${checkbox(model, 'excludeNoReply', t.excludeNoReply)}
        ${checkbox(model, 'excludeBulk', t.excludeBulk)}
        ${checkbox(model, 'excludeCalendar', t.excludeCalendar)}
        <div class="field">
          <label for="ms-privateCategory">${t.privateCategory}</label>
          <input id="ms-privateCategory" name="privateCategory" type="text" maxlength="255" value="${model.form.privateCategory}"${invalidAttr(model, 'privateCategory')}>
        </div>
        <div class="field">
          <label for="ms-blocklist">${t.blocklistLabel}</label>
          <textarea id="ms-blocklist" name="blocklist" rows="4" spellcheck="false" aria-describedby="ms-blocklist-hint"${invalidAttr(model, 'blocklist')}>${model.form.blocklist}</textarea>
          <p id="ms-blocklist-hint" class="hint">${t.blocklistHint}</p>
        </div>
        <div class="field">
          <label for="ms-internalDomains">${t.internalDomainsLabel}</label>
          <textarea id="ms-internalDomains" name="internalDomains" rows="2" spellcheck="false"${invalidAttr(model, 'internalDomains')}>${model.form.internalDomains}</textarea>
        </div>
        <h2 id="ms-tenant-h">${t.tenantBlocklist}</h2>
        ${
          model.tenantBlocklist.length === 0
            ? html`<p class="muted">${t.tenantBlocklistNone}</p>`
            : html`<ul aria-labelledby="ms-tenant-h">${model.tenantBlocklist.map((e) => html`<li><code>${e}</code></li>`)}</ul>`
        }
      </fieldset>
      <fieldset>
        <legend>${t.visibilityLegend}</legend>
        ${radio(model, 'visibility', 'full', t.visibility.full)}
        ${radio(model, 'visibility', 'subject', t.visibility.subject)}
        ${radio(model, 'visibility', 'metadata', t.visibility.metadata)}
      </fieldset>
      <button type="submit">${t.save}</button>
    </form>
    <p><a href="/#konto-${model.accountId}">${m.back}</a></p>`;
  return page(frame, t.title(model.email), body);
}

export interface TenantSettingsModel {
  blocklist: string;
  invalid?: boolean;
  error?: string | null;
}

export function tenantSettingsPage(frame: Frame, t: MailSettingsMessages, model: TenantSettingsModel): Html {
  const { m } = frame;
  const body = html`
    ${model.error && html`<div class="notice notice-error" role="alert">${model.error}</div>`}
    <p>${t.tenantIntro}</p>
    <form method="post" action="/verwaltung/e-mail-einstellungen">
      ${csrfField(frame)}
      <div class="field">
        <label for="ts-blocklist">${t.blocklistLabel}</label>
        <textarea id="ts-blocklist" name="blocklist" rows="6" spellcheck="false" aria-describedby="ts-blocklist-hint"${model.invalid ? html` aria-invalid="true"` : html``}>${model.blocklist}</textarea>
        <p id="ts-blocklist-hint" class="hint">${t.blocklistHint}</p>
      </div>
      <button type="submit">${t.save}</button>
    </form>
    <p><a href="/verwaltung">${m.back}</a></p>`;
  return page(frame, t.tenantTitle, body);
}
