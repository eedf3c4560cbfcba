import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { Req, type WebDeps } from './context.js';
import { jsonError, readForm } from './http.js';
import { admin } from './pages/admin.js';
import { asset } from './pages/assets.js';
import {
  contactSearch,
  contactShow,
  csvDownload,
  heldConfirm,
  heldReject,
  heldShow,
} from './pages/contacts.js';
import {
  mailSettingsShow,
  mailSettingsSubmit,
  TENANT_SETTINGS_PATH,
  tenantSettingsShow,
  tenantSettingsSubmit,
} from './pages/mail-settings.js';
import {
  CONSENT_RETURN_PATH,
  consentReturn,
  consentShow,
  consentStart,
  migrateStart,
  onPremShow,
  onPremSubmit,
  providerChoose,
  providerShow,
} from './pages/migration.js';
import { personal } from './pages/personal.js';
import { removeShow, removeSubmit } from './pages/remove-account.js';
import { CALLBACK_PATH, signInCallback, signInStart, signOut } from './pages/sign-in.js';
import { csrfOk } from './session/web-session.js';

/**
 * Every page of the web app. Routes outside a session: the sign-in page ("/"), the sign-in
 * steps and the assets; everything else needs a signed-in user, and every POST the session's
 * CSRF token. Accounts are looked up through Req.account (shared/auth's canAccess): an account
 * the user may not see answers 404, exactly as the API does.
 */
type Get = (req: Req, params: string[]) => Promise<HttpResponseInit>;
type Post = (req: Req, params: string[], form: URLSearchParams) => Promise<HttpResponseInit>;

const ID = '([A-Za-z0-9-]{1,100})';
const GET_ROUTES: [RegExp, Get, { public?: boolean }][] = [
  [/^\/$/, (req) => personal(req), { public: true }],
  [/^\/anmelden$/, (req) => signInStart(req), { public: true }],
  [new RegExp(`^${CALLBACK_PATH}$`), (req) => signInCallback(req), { public: true }],
  [new RegExp(`^${CONSENT_RETURN_PATH}$`), (req) => consentReturn(req), {}],
  [/^\/verwaltung$/, (req) => admin(req), {}],
  [new RegExp(`^/konten/${ID}/admin-freigabe$`), (req, [id]) => consentShow(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/anbieter$`), (req, [id]) => providerShow(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/exchange-server$`), (req, [id]) => onPremShow(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/kontakte$`), (req, [id]) => contactSearch(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/kontakte\\.csv$`), (req, [id]) => csvDownload(req, id ?? ''), {}],
  [
    new RegExp(`^/konten/${ID}/kontakte/([^/]{1,300})$`),
    (req, [id, c]) => contactShow(req, id ?? '', decode(c)),
    {},
  ],
  [new RegExp(`^/konten/${ID}/loeschungen$`), (req, [id]) => heldShow(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/e-mail-einstellungen$`), (req, [id]) => mailSettingsShow(req, id ?? ''), {}],
  [new RegExp(`^/konten/${ID}/entfernen$`), (req, [id]) => removeShow(req, id ?? ''), {}],
  [new RegExp(`^${TENANT_SETTINGS_PATH}$`), (req) => tenantSettingsShow(req), {}],
];
const POST_ROUTES: [RegExp, Post][] = [
  [/^\/abmelden$/, (req) => signOut(req)],
  [new RegExp(`^/konten/${ID}/migrieren$`), (req, [id]) => migrateStart(req, id ?? '')],
  [new RegExp(`^/konten/${ID}/admin-freigabe$`), (req, [id]) => consentStart(req, id ?? '')],
  [new RegExp(`^/konten/${ID}/anbieter$`), (req, [id], form) => providerChoose(req, id ?? '', form)],
  [new RegExp(`^/konten/${ID}/exchange-server$`), (req, [id], form) => onPremSubmit(req, id ?? '', form)],
  [new RegExp(`^/konten/${ID}/loeschungen/bestaetigen$`), (req, [id]) => heldConfirm(req, id ?? '')],
  [new RegExp(`^/konten/${ID}/loeschungen/verwerfen$`), (req, [id]) => heldReject(req, id ?? '')],
  [
    new RegExp(`^/konten/${ID}/e-mail-einstellungen$`),
    (req, [id], form) => mailSettingsSubmit(req, id ?? '', form),
  ],
  [new RegExp(`^${TENANT_SETTINGS_PATH}$`), (req, _params, form) => tenantSettingsSubmit(req, form)],
  [new RegExp(`^/konten/${ID}/entfernen$`), (req, [id]) => removeSubmit(req, id ?? '')],
];

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return '';
  }
}

export async function handleWebRequest(web: WebDeps, request: HttpRequest): Promise<HttpResponseInit> {
  const path = new URL(request.url).pathname;
  // The catch-all route also sees unknown /api paths in Azure: they keep the API's JSON 404.
  if (/^\/api(\/|$)/i.test(path)) return jsonError(404, 'NotFound', `no route ${path.slice(0, 200)}`);
  const assetMatch = /^\/assets\/([a-z0-9.-]{1,40})$/.exec(path);
  if (assetMatch && request.method === 'GET') {
    const found = asset(request, assetMatch[1] ?? '');
    if (found) return found;
  }
  const req = new Req(web, request, path);
  if (request.method === 'GET' || request.method === 'HEAD') {
    for (const [pattern, handler, options] of GET_ROUTES) {
      const match = pattern.exec(path);
      if (!match) continue;
      await req.load();
      if (!options.public && !req.principal) return req.signInRequired();
      return handler(req, match.slice(1));
    }
    return req.error(404, 'NotFound');
  }
  if (request.method === 'POST') {
    for (const [pattern, handler] of POST_ROUTES) {
      const match = pattern.exec(path);
      if (!match) continue;
      await req.load();
      if (!req.session?.data.principal) return req.signInRequired();
      const form = await readForm(request);
      if (!form) return req.error(400, 'FormRequired');
      if (!csrfOk(request, req.session.data, form)) return req.error(403, 'CsrfTokenInvalid');
      return handler(req, match.slice(1), form);
    }
    return req.error(404, 'NotFound');
  }
  return jsonError(405, 'MethodNotAllowed', `${request.method} is not allowed on ${path.slice(0, 200)}`);
}
