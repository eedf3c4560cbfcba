import type { ExchangeFields, PhysicalAddress } from '../../shared/contact/index.js';
import type { ContactHit, ContactWhy } from '../../shared/service/contact-why.js';
import { type Html, html } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { formatInstant } from '../i18n/locale.js';
import type { Messages } from '../i18n/messages.js';
import { type Frame, page } from './layout.js';

const base = (id: string) => `/konten/${encodeURIComponent(id)}`;

export function searchPage(
  frame: Frame,
  accountId: string,
  email: string,
  query: string,
  hits: ContactHit[] | null,
): Html {
  const { m } = frame;
  const results =
    hits === null
      ? null
      : hits.length === 0
        ? html`<p role="status">${m.searchNone}</p>`
        : html`<p role="status">${m.searchResults(hits.length)}</p>
          <ul class="hits">${hits.map(
            (h) =>
              html`<li><a href="${base(accountId)}/kontakte/${encodeURIComponent(h.crmId)}">${h.name}</a>${h.email && html` <span class="muted">${h.email}</span>`}</li>`,
          )}</ul>`;
  const body = html`
    <p><strong>${email}</strong></p>
    <form method="get" action="${base(accountId)}/kontakte" role="search">
      <label for="q">${m.searchLabel}</label>
      <input id="q" name="q" type="search" value="${query}" maxlength="200">
      <button type="submit">${m.searchButton}</button>
    </form>
    ${results}
    <p><a href="/">${m.back}</a></p>`;
  return page(frame, m.searchTitle, body);
}

const FIELD_LABELS: Record<Locale, Record<keyof ExchangeFields, string>> = {
  de: {
    title: 'Titel',
    givenName: 'Vorname',
    middleName: 'Zweiter Vorname',
    surname: 'Nachname',
    companyName: 'Firma',
    jobTitle: 'Position',
    department: 'Abteilung',
    birthday: 'Geburtstag',
    emailAddresses: 'E-Mail-Adressen',
    businessPhones: 'Telefon geschäftlich',
    homePhones: 'Telefon privat',
    mobilePhone: 'Mobiltelefon',
    businessHomePage: 'Webseite',
    businessAddress: 'Adresse geschäftlich',
    homeAddress: 'Adresse privat',
    otherAddress: 'Weitere Adresse',
  },
  en: {
    title: 'Title',
    givenName: 'First name',
    middleName: 'Middle name',
    surname: 'Last name',
    companyName: 'Company',
    jobTitle: 'Job title',
    department: 'Department',
    birthday: 'Birthday',
    emailAddresses: 'E-mail addresses',
    businessPhones: 'Business phones',
    homePhones: 'Home phones',
    mobilePhone: 'Mobile phone',
    businessHomePage: 'Website',
    businessAddress: 'Business address',
    homeAddress: 'Home address',
    otherAddress: 'Other address',
  },
};

function address(a: PhysicalAddress): string {
  return [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.state, a.countryOrRegion]
    .filter(Boolean)
    .join(', ');
}

function show(value: ExchangeFields[keyof ExchangeFields] | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return address(value);
  return value;
}

const KEPT_FIELD: Record<Locale, Record<string, string>> = {
  de: {
    emails: 'E-Mail',
    phones: 'Telefon',
    websites: 'Webseite',
    addresses: 'Adresse',
    notes: 'Notizen',
    salutation: 'Anrede',
  },
  en: {
    emails: 'E-mail',
    phones: 'Phone',
    websites: 'Website',
    addresses: 'Address',
    notes: 'Notes',
    salutation: 'Salutation',
  },
};

function reason(m: Messages, r: string): string {
  return r in m.reasons ? m.reasons[r as keyof Messages['reasons']] : m.reasons.other;
}

export function contactPage(frame: Frame, locale: Locale, accountId: string, why: ContactWhy): Html {
  const { m } = frame;
  const labels = FIELD_LABELS[locale];
  const rows = (Object.keys(labels) as (keyof ExchangeFields)[]).map((field) => {
    const crm = show(why.crmFields?.[field]);
    const outlook = show(why.exchangeFields?.[field]);
    if (crm === '' && outlook === '') return null;
    return html`<tr${crm !== outlook ? html` class="differs"` : ''}><th scope="row">${labels[field]}</th><td>${crm}</td><td>${why.exchangeFields ? outlook : html`<em>${m.notInOutlook}</em>`}</td></tr>`;
  });
  const kept =
    why.keptBack.length === 0
      ? html`<p>${m.keptBackNone}</p>`
      : html`<ul class="kept">${why.keptBack.map(
          (k) =>
            html`<li><strong>${KEPT_FIELD[locale][k.field] ?? k.field}</strong> „${k.value}“: ${reason(m, k.reason)}</li>`,
        )}</ul>`;
  const conflicts =
    why.conflicts.length === 0
      ? html`<p>${m.conflictsNone}</p>`
      : html`<ul>${why.conflicts.map((c) => html`<li>${formatInstant(c.at, locale)}: ${c.detail}</li>`)}</ul>`;
  const log =
    why.log.length === 0
      ? html`<p>${m.logNone}</p>`
      : html`<div class="table-wrap"><table><caption>${m.logTitle}</caption>
          <thead><tr><th scope="col">${m.colTime}</th><th scope="col">${m.colWhat}</th></tr></thead>
          <tbody>${why.log.map(
            (e) =>
              html`<tr class="log-${e.level}"><td><time datetime="${e.at}">${formatInstant(e.at, locale)}</time></td><td><strong>${m.actions[e.action] ?? e.action}</strong>: ${e.detail}</td></tr>`,
          )}</tbody></table></div>`;
  const body = html`
    <section aria-labelledby="side-by-side">
      <h2 id="side-by-side">${m.sideBySide}</h2>
      <div class="table-wrap"><table class="compare">
        <caption>${m.sideBySide}</caption>
        <thead><tr><th scope="col">${m.colField}</th><th scope="col">${m.colCrm}</th><th scope="col">${m.colOutlook}</th></tr></thead>
        <tbody>${rows}</tbody>
      </table></div>
    </section>
    <section aria-labelledby="kept-back"><h2 id="kept-back">${m.keptBackTitle}</h2>${kept}</section>
    <section aria-labelledby="conflicts"><h2 id="conflicts">${m.conflictsTitle}</h2>${conflicts}</section>
    <section aria-labelledby="log"><h2 id="log">${m.logTitle}</h2>${log}</section>
    <p><a href="${base(accountId)}/kontakte">${m.back}</a></p>`;
  return page(frame, m.contactTitle(why.name), body);
}
