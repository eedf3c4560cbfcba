import type { HeldDelete } from '../../shared/service/held-deletes.js';
import { type Html, html } from '../html.js';
import { csrfField, type Frame, page } from './layout.js';

export function heldPage(frame: Frame, accountId: string, email: string, held: HeldDelete[]): Html {
  const { m } = frame;
  const action = (what: string) => `/konten/${encodeURIComponent(accountId)}/loeschungen/${what}`;
  const body =
    held.length === 0
      ? html`<p><strong>${email}</strong></p><p role="status">${m.heldNone}</p><p><a href="/">${m.back}</a></p>`
      : html`
        <p><strong>${email}</strong></p>
        <p>${m.heldIntro(held.length)}</p>
        <ul class="held-list">${held.map((h) => html`<li>${h.name}${h.email && html` <span class="muted">${h.email}</span>`}</li>`)}</ul>
        <div class="decide">
          <form method="post" action="${action('bestaetigen')}">${csrfField(frame)}<button type="submit" class="danger">${m.confirmDeletes}</button></form>
          <form method="post" action="${action('verwerfen')}">${csrfField(frame)}<button type="submit" aria-describedby="reject-hint">${m.rejectDeletes}</button></form>
        </div>
        <p id="reject-hint" class="hint">${m.rejectHint}</p>
        <p><a href="/">${m.back}</a></p>`;
  return page(frame, m.heldTitle, body);
}
