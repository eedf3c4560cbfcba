import { type Html, html } from '../html.js';
import { csrfField, type Frame, page } from './layout.js';

/**
 * The migration's side pages, in the source's words (seeds/001): the administrator approval
 * ("Es wird eine Administratoren-Genehmigung abgefragt, was tun?"), the provider choice
 * ("Sonderfall Ionos": "Continue with Microsoft"; "OnPremise": the Exchange server's form).
 */

const base = (id: string) => `/konten/${encodeURIComponent(id)}`;

export interface ConsentModel {
  accountId: string;
  email: string;
  /** This app's display name, and the old V2 interface's (both from configuration). */
  appName: string;
  legacyAppName: string;
  /** True when the administrator came back without granting. */
  stillMissing: boolean;
}

export function consentPage(frame: Frame, model: ConsentModel): Html {
  const { m } = frame;
  const body = html`
    ${model.stillMissing && html`<div class="notice notice-error" role="alert">${m.consentStillMissing}</div>`}
    <p>${m.consentIntro}</p>
    <p><strong>${model.email}</strong></p>
    <div class="callout" role="note">
      <p>${m.consentWarning(model.appName, model.legacyAppName)}</p>
    </div>
    <form method="post" action="${base(model.accountId)}/admin-freigabe">
      ${csrfField(frame)}
      <p class="choice-label">${m.consentChoice}</p>
      <p>${m.consentAfter}</p>
      <button type="submit">${m.consentButton}</button>
    </form>
    <p><a href="/">${m.back}</a></p>`;
  return page(frame, m.consentTitle, body);
}

export interface ProviderModel {
  accountId: string;
  email: string;
}

export function providerPage(frame: Frame, model: ProviderModel): Html {
  const { m } = frame;
  const body = html`
    <p>${m.providerIntro}</p>
    <p><strong>${model.email}</strong></p>
    <form method="post" action="${base(model.accountId)}/anbieter">
      ${csrfField(frame)}
      <fieldset>
        <legend>${m.providerLegend}</legend>
        <div class="radio">
          <input type="radio" id="p-m365" name="provider" value="microsoft365" checked aria-describedby="p-m365-hint">
          <label for="p-m365">${m.providerM365}</label>
          <p id="p-m365-hint" class="hint">${m.providerM365Hint}</p>
        </div>
        <div class="radio">
          <input type="radio" id="p-onprem" name="provider" value="onPremises">
          <label for="p-onprem">${m.providerOnPrem}</label>
        </div>
      </fieldset>
      <button type="submit" name="continue" value="1">${m.providerContinue}</button>
    </form>
    <form method="post" action="${base(model.accountId)}/anbieter">
      ${csrfField(frame)}
      <input type="hidden" name="provider" value="microsoft365">
      <button type="submit" class="microsoft">${m.continueWithMicrosoft}</button>
    </form>
    <p><a href="/">${m.back}</a></p>`;
  return page(frame, m.providerTitle, body);
}

/** Why a submit did not connect (nothing was stored); the API's codes plus a form that did not parse. */
export type OnPremError =
  | 'EwsWrongPassword'
  | 'EwsHostUnreachable'
  | 'EwsBadCertificate'
  | 'EwsNotExchange'
  | 'invalid'
  | 'unsupported';

export interface OnPremModel {
  accountId: string;
  email: string;
  /** Set after a submit that connected nothing. */
  error?: OnPremError | null;
  /** What the user typed, shown again after an error (never the password). */
  host?: string;
  username?: string;
  caPem?: string;
}

function onPremErrorText(m: Frame['m'], error: OnPremError): string {
  switch (error) {
    case 'EwsWrongPassword':
      return m.onPremWrongPassword;
    case 'EwsHostUnreachable':
      return m.onPremUnreachable;
    case 'EwsBadCertificate':
      return m.onPremBadCertificate;
    case 'EwsNotExchange':
      return m.onPremNotExchange;
    case 'invalid':
      return m.onPremInvalid;
    case 'unsupported':
      return m.onPremUnsupported;
  }
}

export function onPremPage(frame: Frame, model: OnPremModel): Html {
  const { m } = frame;
  const body = html`
    ${model.error && html`<div class="notice notice-error" role="alert" data-error="${model.error}">${onPremErrorText(m, model.error)}</div>`}
    <form method="post" action="${base(model.accountId)}/exchange-server" autocomplete="off">
      ${csrfField(frame)}
      <div class="field">
        <label for="host">${m.onPremHost}</label>
        <input id="host" name="host" type="text" required maxlength="253" aria-describedby="onprem-hint" value="${model.host ?? ''}">
      </div>
      <div class="field">
        <label for="username">${m.onPremUser}</label>
        <input id="username" name="username" type="text" required maxlength="320" value="${model.username ?? model.email}">
      </div>
      <div class="field">
        <label for="password">${m.onPremPassword}</label>
        <input id="password" name="password" type="password" required maxlength="1024" autocomplete="current-password">
      </div>
      <div class="field">
        <label for="caPem">${m.onPremCa}</label>
        <textarea id="caPem" name="caPem" rows="4" maxlength="12000" spellcheck="false" aria-describedby="onprem-ca-hint">${model.caPem ?? ''}</textarea>
        <p id="onprem-ca-hint" class="hint">${m.onPremCaHint}</p>
      </div>
      <p id="onprem-hint" class="hint">${m.onPremHint}</p>
      <button type="submit">${m.onPremSubmit}</button>
    </form>
    <p><a href="${base(model.accountId)}/anbieter">${m.back}</a></p>`;
  return page(frame, m.onPremTitle, body);
}
