import { contactView } from '../contact-view.js';
import { json, type RouteArgs } from '../context.js';
import { GraphHttpError } from '../errors.js';
import { IMMUTABLE_PREFERENCE, idFor, wantsImmutableIds } from '../id-type.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseSelect } from '../odata-query.js';
import type { Route } from '../router.js';
import type { Mailbox, StoredContact } from '../store.js';
import { folderFor, graphUrl, mailboxFor } from './lookup.js';

/**
 * Delta per contact folder. A token remembers only sequence numbers: `since` (the end of the
 * previous round), `upTo` (the mailbox sequence when this round started) and `after` (the
 * last item served). Items changed while a round is paged move past `upTo` and come in the
 * next round; deletions come as `@removed` from the tombstones. A token from an older sync
 * generation (admin fault `expireDeltaTokens`) answers 410 SyncStateNotFound.
 *
 * Ids follow each request's own `Prefer: IdType` (the links work with both forms, as
 * "Immutable ID with delta query" says). A move shows as `@removed` in the old folder and as
 * a new item in the new one; with regular ids the two ids differ. A deleted folder's delta
 * answers 404 ErrorSyncFolderNotFound ("The folder to be synchronized could not be found.",
 * as reported in alcionai/corso#1847). The fault `repeatDeltaItems` serves an item already
 * served again, which "delta query overview" allows ("the same item can appear more than once").
 */
interface DeltaState {
  g: number;
  f: string;
  s: number;
  u?: number;
  a?: number;
  sel?: string[];
}

const encode = (state: DeltaState) => Buffer.from(JSON.stringify(state)).toString('base64url');

function decode(token: string): DeltaState {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
    if (typeof state.g === 'number' && typeof state.f === 'string' && typeof state.s === 'number')
      return state;
  } catch {
    // falls through to the error below
  }
  throw new GraphHttpError(
    400,
    'ErrorInvalidSyncStateData',
    'The sync state data is corrupt or otherwise invalid.',
  );
}

function pageSize(prefer: string | undefined): number | undefined {
  const match = prefer?.match(/odata\.maxpagesize\s*=\s*(\d+)/i);
  return match?.[1] ? Math.max(1, Math.min(Number(match[1]), MAX_PAGE_SIZE)) : undefined;
}

function delta(args: RouteArgs) {
  const { req, env } = args;
  const mailbox = mailboxFor(env, args.caller, args.params['m'] ?? '');
  const folderParam = args.params['f'] ?? '';
  if (mailbox.deletedFolderIds.has(folderParam)) {
    throw new GraphHttpError(
      404,
      'ErrorSyncFolderNotFound',
      'The folder to be synchronized could not be found.',
    );
  }
  const folder = folderFor(env, mailbox, folderParam);
  const immutable = wantsImmutableIds(req.headers);
  const token = req.query.get('$skiptoken') ?? req.query.get('$deltatoken');
  // s = -1 marks the initial round (a deltaLink taken from an empty mailbox has s = 0 and must still report deletes).
  const state: DeltaState = token ? decode(token) : { g: mailbox.syncGeneration, f: folder.id, s: -1 };
  if (state.g !== mailbox.syncGeneration || state.f !== folder.id) {
    throw new GraphHttpError(410, 'SyncStateNotFound', 'The sync state generation is not found.');
  }
  const select = token ? state.sel : parseSelect(req.query);
  const requested = pageSize(req.headers['prefer']);
  const size = requested ?? DEFAULT_PAGE_SIZE;
  const upTo = state.u ?? mailbox.seq;
  const after = state.a ?? state.s;
  const inRange = (seq: number) => seq > after && seq <= upTo;

  const changed = env.store
    .contactsIn(mailbox, folder.id)
    .filter((c) => inRange(c.seq))
    .map((c) => ({
      seq: c.seq,
      item: { '@odata.type': '#microsoft.graph.contact', ...contactView(c, { select, immutable }) },
    }));
  const removed =
    state.s < 0
      ? []
      : mailbox.tombstones
          .filter((t) => t.folderId === folder.id && inRange(t.seq))
          .map((t) => ({
            seq: t.seq,
            item: {
              '@odata.type': '#microsoft.graph.contact',
              id: idFor(t, immutable),
              '@removed': { reason: 'deleted' },
            },
          }));
  const all = [...changed, ...removed].sort((x, y) => x.seq - y.seq);
  const page = all.slice(0, size);
  const last = page.at(-1);
  const served = servedBefore(mailbox, folder.id, after);
  const repeat = served && env.faults.takeDeltaRepeat() ? served : undefined;
  if (repeat) {
    page.push({
      seq: repeat.seq,
      item: { '@odata.type': '#microsoft.graph.contact', ...contactView(repeat, { select, immutable }) },
    });
  }

  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#Collection(contact)`,
    value: page.map((p) => p.item),
  };
  const base = { g: state.g, f: folder.id, ...(select ? { sel: select } : {}) };
  if (all.length > size && last) {
    const next = new URLSearchParams({ $skiptoken: encode({ ...base, s: state.s, u: upTo, a: last.seq }) });
    body['@odata.nextLink'] = graphUrl(env, req.path, next);
  } else {
    body['@odata.deltaLink'] = graphUrl(
      env,
      req.path,
      new URLSearchParams({ $deltatoken: encode({ ...base, s: upTo }) }),
    );
  }
  const applied = [
    ...(requested ? [`odata.maxpagesize=${requested}`] : []),
    ...(immutable ? [IMMUTABLE_PREFERENCE] : []),
  ];
  return json(200, body, applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {});
}

/** The most recently served contact of the folder (one this round or an earlier one has had). */
function servedBefore(mailbox: Mailbox, folderId: string, after: number): StoredContact | undefined {
  let best: StoredContact | undefined;
  for (const c of mailbox.contacts.values()) {
    if (c.folderId === folderId && c.seq <= after && (!best || c.seq > best.seq)) best = c;
  }
  return best;
}

export const deltaRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/contactFolders/{f}/contacts/delta', handler: delta },
];
