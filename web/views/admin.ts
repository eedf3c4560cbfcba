import { type Html, html } from '../html.js';
import { formatInstant, type Locale } from '../i18n/locale.js';
import { mailSettingsMessages } from '../i18n/mail-settings-messages.js';
import type { Messages } from '../i18n/messages.js';
import type { AccountRow } from '../models/account-row.js';
import { accountsTable, banner } from './accounts.js';
import { type Frame, page } from './layout.js';

export const ADMIN_FILTERS = ['all', 'v2', 'overdue', 'stopped', 'errors'] as const;
export type AdminFilter = (typeof ADMIN_FILTERS)[number];

export interface DeadLetterRow {
  at: string;
  queue: string;
  accountEmail: string | null;
  reason: string;
}

export interface AuditRow {
  at: string;
  who: string;
  action: string;
  account: string | null;
  outcome: string;
}

export interface AdminModel {
  filter: AdminFilter;
  rows: AccountRow[];
  /** null: not readable from this deployment (Service Bus dead-letter queues). */
  deadLetters: DeadLetterRow[] | null;
  audit: AuditRow[] | null;
}

function filterForm(m: Messages, current: AdminFilter): Html {
  return html`<form method="get" action="/verwaltung" class="filters">
    <fieldset><legend>${m.filterLegend}</legend>
    ${ADMIN_FILTERS.map(
      (f) =>
        html`<span class="radio-inline"><input type="radio" id="f-${f}" name="filter" value="${f}"${f === current ? html` checked` : ''}><label for="f-${f}">${m.filters[f]}</label></span>`,
    )}
    </fieldset>
    <button type="submit">${m.filterApply}</button>
  </form>`;
}

export function adminPage(frame: Frame, locale: Locale, model: AdminModel): Html {
  const { m } = frame;
  const banners = model.rows.flatMap((row) => (row.banner ? [banner(row.banner)] : []));
  const dead =
    model.deadLetters === null
      ? html`<p>${m.deadLettersUnavailable}</p>`
      : model.deadLetters.length === 0
        ? html`<p>${m.deadLettersNone}</p>`
        : html`<div class="table-wrap"><table><caption>${m.deadLetters}</caption>
          <thead><tr><th scope="col">${m.colTime}</th><th scope="col">${m.colAccount}</th><th scope="col">${m.colReason}</th></tr></thead>
          <tbody>${model.deadLetters.map(
            (d) =>
              html`<tr><td>${formatInstant(d.at, locale)}</td><td>${d.accountEmail ?? '–'}</td><td>${d.reason}</td></tr>`,
          )}</tbody></table></div>`;
  const audit =
    model.audit === null || model.audit.length === 0
      ? html`<p>${m.auditNone}</p>`
      : html`<div class="table-wrap"><table><caption>${m.audit}</caption>
          <thead><tr><th scope="col">${m.colTime}</th><th scope="col">${m.colWho}</th><th scope="col">${m.colWhat}</th><th scope="col">${m.colAccount}</th><th scope="col">${m.colOutcome}</th></tr></thead>
          <tbody>${model.audit.map(
            (a) =>
              html`<tr><td>${formatInstant(a.at, locale)}</td><td>${a.who}</td><td>${a.action}</td><td>${a.account ?? '–'}</td><td>${a.outcome}</td></tr>`,
          )}</tbody></table></div>`;
  const body = html`
    ${filterForm(m, model.filter)}
    ${banners}
    ${model.rows.length === 0 ? html`<p role="status">${m.noAccounts}</p>` : accountsTable(frame, model.rows, m.adminTitle)}
    <p><a href="/verwaltung/e-mail-einstellungen">${mailSettingsMessages(m.lang === 'en' ? 'en' : 'de').tenantLink}</a></p>
    <section aria-labelledby="dead"><h2 id="dead">${m.deadLetters}</h2>${dead}</section>
    <section aria-labelledby="audit"><h2 id="audit">${m.audit}</h2>${audit}</section>`;
  return page(frame, m.adminTitle, body);
}
