import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { migrateBodySchema, registerAccountSchema } from '../shared/accounts/new-account.js';
import { nodeDnsResolver } from '../shared/accounts/provider.js';
import { accountView } from '../shared/service/account-view.js';
import { exportContactsCsv } from '../shared/service/export-contacts.js';
import { migrateAccount } from '../shared/service/migrate-account.js';
import { registerAccount } from '../shared/service/register-account.js';
import { json, jsonError, parseJson, readJson, readRawBody } from './http.js';
import { type Runtime, runtime } from './runtime.js';

/** The accounts API (DESIGN section 8). Each handler: validate, call a shared/service use case, shape. */

export async function accountsList(_request: HttpRequest): Promise<HttpResponseInit> {
  const rt = await runtime();
  const items = [];
  for await (const account of rt.deps.accounts.list())
    items.push(await accountView(rt.deps, account, { countLinks: false }));
  return json(200, { items });
}

export async function accountsRegister(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const body = await readJson(request, registerAccountSchema);
  if (!body.ok) return body.response;
  const rt = await runtime();
  const result = await registerAccount(rt.deps, body.value);
  if (!result.ok) return jsonError(result.status, result.code, result.message);
  context.log(`account ${result.account.id} registered (${result.account.syncVersion})`);
  return json(201, await accountView(rt.deps, result.account));
}

export async function accountsGet(request: HttpRequest): Promise<HttpResponseInit> {
  const rt = await runtime();
  const stored = await findAccount(rt, request.params.id);
  if (!stored) return notFound(request.params.id);
  return json(200, await accountView(rt.deps, stored.value));
}

export async function accountsMigrate(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const rt = await runtime();
  // The body is optional (an empty body means {}); read it whatever its framing.
  const raw = await readRawBody(request);
  if (!raw.ok) return raw.response;
  const body = raw.raw === '' ? { ok: true as const, value: {} } : parseJson(raw.raw, migrateBodySchema);
  if (!body.ok) return body.response;
  const stored = await findAccount(rt, request.params.id);
  if (!stored) return notFound(request.params.id);
  const result = await migrateAccount(
    rt.deps,
    { resolver: nodeDnsResolver, graphApp: rt.config.graph, publicBaseUrl: rt.config.publicBaseUrl },
    stored,
    body.value,
  );
  switch (result.kind) {
    case 'migrated':
      context.log(`account ${stored.value.id} migrated to V3`);
      return json(200, await accountView(rt.deps, result.account));
    case 'adminConsentRequired':
      return json(409, {
        state: 'adminConsentRequired',
        adminConsentUrl: result.adminConsentUrl,
        message: result.message,
      });
    case 'chooseProvider':
      return json(409, {
        state: 'providerChoiceRequired',
        message: result.reason,
        choices: ['microsoft365', 'onPremises'],
      });
    case 'unsupported':
      return json(422, { state: 'providerNotSupported', message: result.message });
  }
}

export async function accountsConfirmDeletes(request: HttpRequest): Promise<HttpResponseInit> {
  const rt = await runtime();
  const stored = await findAccount(rt, request.params.id);
  if (!stored) return notFound(request.params.id);
  if (stored.value.status.heldDeletes === 0)
    return jsonError(409, 'NothingHeld', 'no deletes are held for this account');
  const account = { ...stored.value, status: { ...stored.value.status, heldDeletesConfirmed: true } };
  await rt.deps.accounts.put(account, stored.etag);
  await rt.deps.queue.send('exchange-to-crm', {
    v: 1,
    kind: 'exchangeChanged',
    accountId: account.id,
    folderId: null,
    reason: 'held deletes confirmed',
    at: rt.deps.clock.now().toISOString(),
    sessionKey: account.id,
    dedupeId: `confirm:${account.id}:${rt.deps.clock.now().toISOString()}`,
  });
  return json(202, { confirmed: stored.value.status.heldDeletes });
}

export async function accountsExport(request: HttpRequest): Promise<HttpResponseInit> {
  const rt = await runtime();
  const stored = await findAccount(rt, request.params.id);
  if (!stored) return notFound(request.params.id);
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="contacts-${stored.value.id}.csv"`,
    },
    body: exportContactsCsv(rt.deps, stored.value.id),
  };
}

function notFound(id: string | undefined): HttpResponseInit {
  return jsonError(404, 'AccountNotFound', `no account with id ${JSON.stringify(id ?? '')}`);
}

/** Account ids are UUIDs; anything else (too long, odd characters) names no account. */
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

function findAccount(rt: Runtime, id: string | undefined) {
  return id && ACCOUNT_ID.test(id) ? rt.deps.accounts.get(id) : Promise.resolve(null);
}
