import { type Html, html } from '../html.js';
import { mailSettingsMessages } from '../i18n/mail-settings-messages.js';
import { removeAccountMessages } from '../i18n/remove-account-messages.js';
import type { AccountRow, BannerModel } from '../models/account-row.js';
import { csrfField, type Frame, page } from './layout.js';

const accountPath = (id: string) => `/konten/${encodeURIComponent(id)}`;

/** The banner text with the address as a link to its account row ("Link zu Ihrer E-Mail-Adresse im Banner"). */
export function banner(b: BannerModel): Html {
  const parts = b.text.split(b.email);
  const text = parts.map((part, i) =>
    i === 0 ? html`${part}` : html`<a href="/#konto-${b.accountId}">${b.email}</a>${part}`,
  );
  return html`<section class="banner banner-${b.tone}" role="${b.role}" aria-label="${b.heading ?? b.email}">
    ${b.heading && html`<p class="banner-heading"><strong>${b.heading}</strong></p>`}
    <p>${text}</p>
  </section>`;
}

export function migrateForm(frame: Frame, row: AccountRow): Html {
  return html`<form method="post" action="${accountPath(row.id)}/migrieren" class="inline">
    ${csrfField(frame)}
    <button type="submit" class="migrate" aria-label="${frame.m.migrateButton}: ${row.email}">${frame.m.migrateButton}</button>
  </form>`;
}

function errorCell(row: AccountRow, frame: Frame): Html {
  if (!row.error) return html`${frame.m.none}`;
  return html`<span class="error-text">${row.error.plain}</span>
    <details><summary>${frame.m.details}</summary><code>${row.error.detail}</code></details>`;
}

function actions(frame: Frame, row: AccountRow): Html {
  const { m } = frame;
  const t = removeAccountMessages(m.lang === 'en' ? 'en' : 'de');
  // An account being removed syncs no more: only the removal's progress is left to see.
  if (row.removing)
    return html`<ul class="actions"><li><a href="${accountPath(row.id)}/entfernen" aria-label="${row.removing.progress}: ${row.email}">${row.removing.progress}</a></li></ul>`;
  return html`<ul class="actions">
    ${row.canMigrate && html`<li>${migrateForm(frame, row)}</li>`}
    <li><a href="${accountPath(row.id)}/kontakte">${m.contactsLink}</a></li>
    ${row.heldDeletes > 0 && html`<li><a href="${accountPath(row.id)}/loeschungen" class="held">${m.heldLink(row.heldDeletes)}</a></li>`}
    <li><a href="${accountPath(row.id)}/kontakte.csv" download>${m.csvLink}</a></li>
    <li><a href="${accountPath(row.id)}/e-mail-einstellungen" aria-label="${mailSettingsMessages(m.lang === 'en' ? 'en' : 'de').link}: ${row.email}">${mailSettingsMessages(m.lang === 'en' ? 'en' : 'de').link}</a></li>
    <li><a href="${accountPath(row.id)}/entfernen" class="remove" aria-label="${t.link}: ${row.email}">${t.link}</a></li>
  </ul>`;
}

function stateCell(row: AccountRow): Html {
  if (row.removing) return html`<span class="state state-removing">${row.removing.label}</span>`;
  return html`<span class="state state-${row.state}">${row.stateLabel}</span>`;
}

/** One table of accounts; the admin view adds the user column. */
export function accountsTable(frame: Frame, rows: AccountRow[], caption: string): Html {
  const { m } = frame;
  return html`<div class="table-wrap admin-accounts"><table class="accounts">
    <caption>${caption}</caption>
    <thead><tr>
      <th scope="col">${m.colAccount}</th>
      <th scope="col">${m.colProvider} · ${m.colVersion}</th>
      <th scope="col">${m.colState}</th>
      <th scope="col">${m.colLastSync}</th>
      <th scope="col">${m.colLinked}</th>
      <th scope="col">${m.colKeptBack}</th>
      <th scope="col">${m.colErrors}</th>
      <th scope="col">${m.colActions}</th>
    </tr></thead>
    <tbody>
    ${rows.map(
      (row) => html`<tr id="konto-${row.id}" data-state="${row.state}">
        <th scope="row">${row.email}</th>
        <td>${row.provider} · ${row.version}</td>
        <td>${stateCell(row)}</td>
        <td>${row.lastSync}</td>
        <td>${row.linked}</td>
        <td>${row.keptBack}</td>
        <td>${errorCell(row, frame)}</td>
        <td>${actions(frame, row)}</td>
      </tr>`,
    )}
    </tbody>
  </table></div>`;
}

/** One account of the agent, as a card: every fact with its label, then what can be done. */
function accountCard(frame: Frame, row: AccountRow): Html {
  const { m } = frame;
  const fact = (label: string, value: Html | string | number) =>
    html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<section class="account" id="konto-${row.id}" data-state="${row.state}" aria-labelledby="konto-${row.id}-h">
    <h2 id="konto-${row.id}-h">${row.email}</h2>
    <dl class="facts">
      ${fact(m.colProvider, row.provider)}
      ${fact(m.colVersion, row.version)}
      ${fact(m.colState, stateCell(row))}
      ${fact(m.colLastSync, row.lastSync)}
      ${fact(m.colLinked, row.linked)}
      ${fact(m.colKeptBack, row.keptBack)}
      ${fact(m.colErrors, errorCell(row, frame))}
      ${row.mailSummary && fact(mailSettingsMessages(m.lang === 'en' ? 'en' : 'de').cardFact, row.mailSummary)}
    </dl>
    ${actions(frame, row)}
  </section>`;
}

export function personalPage(frame: Frame, rows: AccountRow[]): Html {
  const { m } = frame;
  const banners = rows.flatMap((row) => (row.banner ? [banner(row.banner)] : []));
  const body = html`
    ${banners}
    ${rows.length === 0 ? html`<p>${m.noAccounts}</p>` : rows.map((row) => accountCard(frame, row))}
    <p class="hint">${m.csvHint}</p>`;
  return page(frame, m.personalTitle, body);
}
