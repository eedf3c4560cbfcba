import type { HttpResponseInit } from '@azure/functions';
import { confirmHeldDeletes } from '../../shared/service/confirm-deletes.js';
import { contactWhy, searchContacts } from '../../shared/service/contact-why.js';
import { exportContactsCsv } from '../../shared/service/export-contacts.js';
import { listHeldDeletes, rejectHeldDeletes } from '../../shared/service/held-deletes.js';
import type { Req } from '../context.js';
import { contactPage, searchPage } from '../views/contacts.js';
import { heldPage } from '../views/held.js';

/** "Warum kam das nicht in Outlook an?", the held deletes and the CSV export of one account. */

export async function contactSearch(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  const query = (new URL(req.request.url).searchParams.get('q') ?? '').slice(0, 200);
  const hits = query.trim() === '' ? null : await searchContacts(req.web.deps, id, query);
  return req.page(searchPage(req.frame(), id, stored.value.email, query, hits));
}

export async function contactShow(req: Req, id: string, crmId: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored || !/^[A-Za-z0-9._:-]{1,200}$/.test(crmId)) return req.error(404, 'NotFound');
  const why = await contactWhy(req.web.deps, stored.value, crmId);
  if (!why) return req.error(404, 'NotFound');
  return req.page(contactPage(req.frame(), req.locale, id, why));
}

export async function heldShow(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  if (!stored) return req.error(404, 'NotFound');
  const held = await listHeldDeletes(req.web.deps, stored.value);
  return req.page(heldPage(req.frame(), id, stored.value.email, held));
}

/** "Löschen bestätigen": the same as POST /api/accounts/{id}/confirm-deletes. */
export async function heldConfirm(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  // An account being removed writes nothing more (its removal page shows how far it is).
  if (stored.value.removal) return req.redirect(`/konten/${encodeURIComponent(id)}/entfernen`);
  if (stored.value.status.heldDeletes > 0) {
    await confirmHeldDeletes(req.web.deps, stored);
    await req.web.audit?.({ principal, account: stored.value, action: 'confirmDeletes', outcome: 'ok' });
    req.notice('ok', req.m.confirmed);
  }
  return req.redirect('/');
}

/** "Verwerfen": the same as POST /api/accounts/{id}/reject-deletes. */
export async function heldReject(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  if (stored.value.removal) return req.redirect(`/konten/${encodeURIComponent(id)}/entfernen`);
  const result = await rejectHeldDeletes(req.web.deps, stored);
  if (result.ok) {
    await req.web.audit?.({ principal, account: stored.value, action: 'rejectDeletes', outcome: 'ok' });
    req.notice('ok', req.m.rejected(result.restored + result.unlinked));
  }
  return req.redirect('/');
}

export async function csvDownload(req: Req, id: string): Promise<HttpResponseInit> {
  const stored = await req.account(id);
  const principal = req.principal;
  if (!stored || !principal) return req.error(404, 'NotFound');
  await req.web.audit?.({ principal, account: stored.value, action: 'export', outcome: 'ok' });
  const headers = await req.headers();
  return {
    status: 200,
    headers: {
      ...headers,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${stored.value.id}.csv"`,
    },
    body: exportContactsCsv(req.web.deps, stored.value.id),
  };
}
