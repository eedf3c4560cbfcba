import { type Html, html } from '../html.js';
import { type Frame, page } from './layout.js';

export function signInPage(frame: Frame, returnTo: string, message: string | null): Html {
  const { m } = frame;
  const body = html`
    ${message && html`<div class="notice" role="status">${message}</div>`}
    <p>${m.signInText}</p>
    <form method="get" action="/anmelden">
      <input type="hidden" name="r" value="${returnTo}">
      <button type="submit" class="microsoft">${m.signInButton}</button>
    </form>`;
  return page(frame, m.signInTitle, body);
}

export function messagePage(frame: Frame, title: string, text: string): Html {
  return page(frame, title, html`<p>${text}</p><p><a href="/">${frame.m.toOverview}</a></p>`);
}
