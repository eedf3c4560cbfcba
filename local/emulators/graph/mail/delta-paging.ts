import { GraphHttpError } from '../errors.js';
import { MAX_PAGE_SIZE } from '../odata-query.js';

/**
 * State tokens and paging shared by `messages/delta` and `mailFolders/delta`, in the shape
 * contact delta uses (routes/delta.ts): a token holds only sequence numbers (`s` the end of
 * the previous round, -1 for the initial one; `u` the mailbox sequence when this round
 * started; `a` the last item served) plus the options of the initial request, which Graph
 * "automatically encodes … into the token portion of the @odata.nextLink or @odata.deltaLink"
 * ("message: delta", query parameters).
 */

export interface DeltaToken {
  /** The mailbox's sync generation; the admin fault `expireDeltaTokens` bumps it → 410. */
  g: number;
  /** What the token tracks: a folder id, or `folders` for mailFolders/delta. */
  t: string;
  s: number;
  u?: number;
  a?: number;
  sel?: string[];
  ct?: 'created' | 'updated' | 'deleted';
  /** `$filter=receivedDateTime ge|gt …`, already raised to the 5,000-message cap. */
  f?: { op: 'ge' | 'gt'; at: string };
}

export const encodeToken = (token: DeltaToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

export function decodeToken(raw: string): DeltaToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaToken;
    if (typeof token.g === 'number' && typeof token.t === 'string' && typeof token.s === 'number')
      return token;
  } catch {
    // falls through to the error below
  }
  throw new GraphHttpError(
    400,
    'ErrorInvalidSyncStateData',
    'The sync state data is corrupt or otherwise invalid.',
  );
}

/** The token of this request, or undefined for an initial request; 410 for an expired one. */
export function tokenOf(query: URLSearchParams, generation: number, tracked: string): DeltaToken | undefined {
  const raw = query.get('$skiptoken') ?? query.get('$deltatoken');
  if (raw === null) return undefined;
  const token = decodeToken(raw);
  if (token.g !== generation || token.t !== tracked) {
    throw new GraphHttpError(410, 'SyncStateNotFound', 'The sync state generation is not found.');
  }
  return token;
}

/** `Prefer: odata.maxpagesize=n` (capped), or `$top`, else undefined. */
export function requestedPageSize(
  headers: Record<string, string>,
  query: URLSearchParams,
): number | undefined {
  const prefer = headers['prefer']?.match(/odata\.maxpagesize\s*=\s*(\d+)/i)?.[1];
  if (prefer) return Math.max(1, Math.min(Number(prefer), MAX_PAGE_SIZE));
  const top = query.get('$top');
  if (top === null) return undefined;
  const value = Number(top);
  if (!Number.isInteger(value) || value < 1) {
    throw new GraphHttpError(400, 'BadRequest', `Invalid value '${top}' for the query option '$top'.`);
  }
  return Math.min(value, MAX_PAGE_SIZE);
}

export interface Sequenced {
  seq: number;
  item: Record<string, unknown>;
}

/**
 * One page of a round: the entries with `after < seq <= upTo`, in sequence order. Returns the
 * token for the nextLink, or for the deltaLink when this is the last page.
 */
export function page(
  entries: Sequenced[],
  token: DeltaToken,
  size: number,
): { value: Record<string, unknown>[]; next?: DeltaToken; delta?: DeltaToken } {
  const upTo = token.u as number;
  const after = token.a ?? token.s;
  const inRange = entries.filter((e) => e.seq > after && e.seq <= upTo).sort((x, y) => x.seq - y.seq);
  const served = inRange.slice(0, size);
  const last = served.at(-1);
  const value = served.map((e) => e.item);
  if (inRange.length > size && last) return { value, next: { ...token, a: last.seq } };
  const { u: _u, a: _a, ...rest } = token;
  return { value, delta: { ...rest, s: upTo } };
}
