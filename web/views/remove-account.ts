import { type AccountRemoval, REMOVAL_STEPS } from '../../shared/accounts/account.js';
import { type Html, html } from '../html.js';
import type { RemoveAccountMessages } from '../i18n/remove-account-messages.js';
import { csrfField, type Frame, page } from './layout.js';

export const removePath = (id: string) => `/konten/${encodeURIComponent(id)}/entfernen`;

/** "Konto entfernen": what happens (the sync stops, nothing in Outlook or the CRM is deleted), then confirm. */
export function removeConfirmPage(frame: Frame, t: RemoveAccountMessages, id: string, email: string): Html {
  const body = html`
    <section aria-labelledby="remove-what">
      <h2 id="remove-what">${t.whatHappens}</h2>
      <ul class="remove-facts">
        <li>${t.stops}</li>
        <li><strong>${t.keeps}</strong></li>
        <li>${t.forgets}</li>
        <li>${t.again}</li>
      </ul>
    </section>
    <div class="decide">
      <form method="post" action="${removePath(id)}">
        ${csrfField(frame)}
        <button type="submit" class="danger">${t.confirm}</button>
      </form>
      <a href="/">${t.cancel}</a>
    </div>`;
  return page(frame, t.title(email), body);
}

/** The progress of a removal under way: its step of the six, in a status region. */
export function removeProgressPage(
  frame: Frame,
  t: RemoveAccountMessages,
  id: string,
  email: string,
  removal: AccountRemoval,
): Html {
  const body = html`
    <p role="status" class="removal-progress">${progressText(t, removal)}</p>
    <p>${t.progressIntro}</p>
    <p>${t.keeps}</p>
    <p><a href="${removePath(id)}">${t.refresh}</a> · <a href="/">${t.back}</a></p>`;
  return page(frame, t.removingTitle(email), body);
}

export function progressText(t: RemoveAccountMessages, removal: AccountRemoval): string {
  const n = REMOVAL_STEPS.indexOf(removal.step) + 1;
  return t.progress(n, REMOVAL_STEPS.length, t.steps[removal.step]);
}
