import { type Html, html, type Renderable } from '../html.js';
import type { Messages } from '../i18n/messages.js';

/** Who is looking at the page, as far as the frame needs it. */
export interface Frame {
  m: Messages;
  /** Display name of the signed-in user; null on the sign-in pages. */
  user: string | null;
  isAdmin: boolean;
  /** The session's CSRF token, put into every form. */
  csrf: string | null;
  /** A one-time message after a redirect (migrated, confirmed, …). */
  notice?: { tone: 'ok' | 'error'; text: string } | null;
}

export const ASSET_VERSION = '1';

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(frame: Frame): Html {
  return html`<input type="hidden" name="csrf" value="${frame.csrf ?? ''}">`;
}

export function page(frame: Frame, title: string, body: Renderable): Html {
  const { m } = frame;
  const notice = frame.notice
    ? html`<div class="notice notice-${frame.notice.tone}" role="${frame.notice.tone === 'error' ? 'alert' : 'status'}">${frame.notice.text}</div>`
    : null;
  const nav = frame.user
    ? html`<nav aria-label="${m.mainNav}">
        <ul>
          <li><a href="/">${m.navPersonal}</a></li>
          ${frame.isAdmin && html`<li><a href="/verwaltung">${m.navAdmin}</a></li>`}
        </ul>
        <form method="post" action="/abmelden" class="signout">
          ${csrfField(frame)}
          <span>${m.signedInAs(frame.user)}</span>
          <button type="submit">${m.signOut}</button>
        </form>
      </nav>`
    : null;
  return html`<!doctype html>
<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${m.appName}</title>
<link rel="stylesheet" href="/assets/app.css?v=${ASSET_VERSION}">
<script src="/assets/app.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<a class="skip" href="#main">${m.skipToContent}</a>
<header class="top">
  <span class="brand">${m.appName}</span>
  ${nav}
</header>
<main id="main" tabindex="-1">
  <h1>${title}</h1>
  ${notice}
  ${body}
</main>
</body>
</html>`;
}
