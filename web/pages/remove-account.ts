import type { HttpResponseInit } from '@azure/functions';
import { requestRemoval } from '../../shared/service/remove-account.js';
import type { Req } from '../context.js';
import { removeAccountMessages } from '../i18n/remove-account-messages.js';
import { removeConfirmPage, removeProgressPage } from '../views/remove-account.js';

/**
 * "Konto entfernen" (issue 18 item 5): the same use case and rules as DELETE /api/accounts/{id}
 * (shared/service/remove-account.ts): the account is marked removing and its removal queued; an
 * account the user may not see is a 404. While it is removed, the page shows the step.
 */
export async function removeShow(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  const t = removeAccountMessages(req.locale);
  const { email, removal } = stored.value;
  return req.page(
    removal
      ? removeProgressPage(req.frame(), t, id, email, removal)
      : removeConfirmPage(req.frame(), t, id, email),
  );
}

export async function removeSubmit(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  const marked = await requestRemoval(req.web.deps, id);
  await req.web.audit?.({
    principal,
    account: stored.value,
    action: 'remove',
    outcome: marked ? 'requested' : 'gone',
  });
  req.notice('ok', removeAccountMessages(req.locale).requested(stored.value.email));
  return req.redirect('/');
}
