import { json, type RouteArgs } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Route } from '../router.js';
import { graphUrl, mailboxFor } from '../routes/lookup.js';
import {
  type DeltaToken,
  encodeToken,
  page,
  requestedPageSize,
  type Sequenced,
  tokenOf,
} from './delta-paging.js';
import { findFolder, mailOf, messagesIn, type StoredMessage } from './mail-store.js';
import {
  messageView,
  parseMessageSelect,
  preferenceApplied,
  wantsImmutableIds,
  wantsTextBody,
} from './message-view.js';

/**
 * `GET /users/{id}/mailFolders/{id}/messages/delta` ("message: delta", "Get incremental changes
 * to messages in a folder"): per folder; `$select`, `$top`, `Prefer: odata.maxpagesize`;
 * `changeType=created|updated|deleted` applies from the second round (the initial round
 * returns every message, as the page's example 2 shows); `$filter=receivedDateTime ge|gt …`
 * is the only filter and "returns only up to 5,000 messages" (the newest); no `$search`.
 * Messages that left the folder (deleted, or moved away: the move gives them a new id in the
 * new folder) come as `@removed` with reason `deleted`.
 */

export const DELTA_FILTER_CAP = 5000;

const FILTER = /^\s*receivedDateTime\s+(ge|gt)\s+(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))\s*$/i;

function parseFilter(raw: string | null): DeltaToken['f'] {
  if (raw === null) return undefined;
  const match = raw.match(FILTER);
  if (!match?.[1] || !match[2] || Number.isNaN(Date.parse(match[2]))) {
    throw badRequest('ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
  }
  return { op: match[1].toLowerCase() as 'ge' | 'gt', at: match[2] };
}

function parseChangeType(raw: string | null): DeltaToken['ct'] {
  if (raw === null) return undefined;
  if (raw === 'created' || raw === 'updated' || raw === 'deleted') return raw;
  throw badRequest('ErrorInvalidParameter', `The value '${raw}' of the parameter 'changeType' is invalid.`);
}

const receivedMs = (m: StoredMessage) => Date.parse(String(m.props['receivedDateTime'] ?? '')) || 0;

function passes(filter: DeltaToken['f'], message: StoredMessage): boolean {
  if (!filter) return true;
  const at = Date.parse(filter.at);
  return filter.op === 'ge' ? receivedMs(message) >= at : receivedMs(message) > at;
}

/** The filter of an initial round, raised so that at most DELTA_FILTER_CAP messages pass. */
function capped(filter: DeltaToken['f'], messages: StoredMessage[]): DeltaToken['f'] {
  if (!filter) return undefined;
  const matching = messages.filter((m) => passes(filter, m)).sort((a, b) => receivedMs(b) - receivedMs(a));
  const last = matching[DELTA_FILTER_CAP - 1];
  if (matching.length <= DELTA_FILTER_CAP || !last) return filter;
  return { op: 'ge', at: new Date(receivedMs(last)).toISOString() };
}

function delta(args: RouteArgs) {
  const { req, env } = args;
  const mailbox = mailboxFor(env, args.caller, args.params['m'] ?? '');
  const state = mailOf(mailbox);
  const folder = findFolder(state, args.params['f'] ?? '');
  if (!folder) throw notFound();
  if (req.query.has('$search')) throw badRequest('BadRequest', '$search is not supported on delta queries.');
  const inFolder = messagesIn(state, folder.id);
  const token: DeltaToken = tokenOf(req.query, mailbox.syncGeneration, folder.id) ?? {
    g: mailbox.syncGeneration,
    t: folder.id,
    s: -1,
    ...optional('sel', parseMessageSelect(req.query)),
    ...optional('ct', parseChangeType(req.query.get('changeType'))),
    ...optional('f', capped(parseFilter(req.query.get('$filter')), inFolder)),
  };
  const round: DeltaToken = { ...token, u: token.u ?? state.seq };
  const initial = round.s < 0;
  const view = {
    select: round.sel,
    immutable: wantsImmutableIds(req.headers),
    textBody: wantsTextBody(req.headers),
  };

  const changed: Sequenced[] =
    !initial && round.ct === 'deleted'
      ? []
      : inFolder
          .filter((m) => passes(round.f, m))
          .filter((m) => initial || !round.ct || (round.ct === 'created') === m.enteredSeq > round.s)
          .map((m) => ({ seq: m.seq, item: messageView(m, view) }));
  const removed: Sequenced[] =
    initial || (round.ct !== undefined && round.ct !== 'deleted')
      ? []
      : state.tombstones
          .filter((t) => t.folderId === folder.id)
          .map((t) => ({
            seq: t.seq,
            item: {
              '@odata.type': '#microsoft.graph.message',
              id: view.immutable ? t.immutableId : t.id,
              '@removed': { reason: 'deleted' },
            },
          }));
  const requested = requestedPageSize(req.headers, req.query);
  const result = page([...changed, ...removed], round, requested ?? 10);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#Collection(message)`,
    value: result.value,
  };
  if (result.next)
    body['@odata.nextLink'] = graphUrl(
      env,
      req.path,
      new URLSearchParams({ $skiptoken: encodeToken(result.next) }),
    );
  if (result.delta)
    body['@odata.deltaLink'] = graphUrl(
      env,
      req.path,
      new URLSearchParams({ $deltatoken: encodeToken(result.delta) }),
    );
  return json(200, body, preferenceApplied(req.headers, requested));
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export const messageDeltaRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/mailFolders/{f}/messages/delta', handler: delta },
];
