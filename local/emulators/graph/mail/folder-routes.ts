import { z } from 'zod';
import { json, type RouteArgs } from '../context.js';
import { badRequest, GraphHttpError, notFound } from '../errors.js';
import type { Route } from '../router.js';
import { graphUrl, mailboxFor } from '../routes/lookup.js';
import { encodeToken, page, requestedPageSize, tokenOf } from './delta-paging.js';
import {
  createFolder,
  findFolder,
  type MailFolder,
  type MailState,
  mailOf,
  messagesIn,
} from './mail-store.js';

/**
 * Mail folders (learn.microsoft.com/graph/api/resources/mailfolder): `GET /mailFolders` lists
 * the top-level folders (below the root, hidden ones only with `includeHiddenFolders=true`),
 * 10 per page by default; `childFolders` the folders inside one; a folder is addressed by id
 * or well-known name. `mailFolders/delta` ("mailFolder: delta") returns every folder of the
 * hierarchy, flat, then the ones created or changed since.
 */

const DEFAULT_LIST_SIZE = 10;

function folderView(state: MailState, folder: MailFolder): Record<string, unknown> {
  const messages = messagesIn(state, folder.id);
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId,
    childFolderCount: [...state.folders.values()].filter((f) => f.parentFolderId === folder.id).length,
    unreadItemCount: messages.filter((m) => m.props['isRead'] !== true).length,
    totalItemCount: messages.length,
    isHidden: folder.isHidden,
  };
}

function resolve(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  const state = mailOf(mailbox);
  const folderParam = args.params['f'];
  const folder = folderParam === undefined ? undefined : findFolder(state, folderParam);
  if (folderParam !== undefined && !folder) throw notFound();
  return { mailbox, state, folder };
}

function list(args: RouteArgs, parentId: string) {
  const { state } = resolve(args);
  const { req, env } = args;
  const hidden = req.query.get('includeHiddenFolders') === 'true';
  const folders = [...state.folders.values()].filter(
    (f) => f.parentFolderId === parentId && (hidden || !f.isHidden),
  );
  const top = requestedPageSize({}, req.query) ?? DEFAULT_LIST_SIZE;
  const skip = Number(req.query.get('$skip') ?? '0') || 0;
  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#users('${encodeURIComponent(args.params['m'] ?? '')}')/mailFolders`,
    value: folders.slice(skip, skip + top).map((f) => folderView(state, f)),
  };
  if (skip + top < folders.length) {
    const next = new URLSearchParams(req.query);
    next.set('$top', String(top));
    next.set('$skip', String(skip + top));
    body['@odata.nextLink'] = graphUrl(env, req.path, next);
  }
  return json(200, body);
}

const createBody = z.object({ displayName: z.string().min(1), isHidden: z.boolean().optional() });

function create(args: RouteArgs, parentId: string) {
  const { state } = resolve(args);
  const parsed = createBody.safeParse(args.req.body);
  if (!parsed.success) throw badRequest('ErrorInvalidRequest', 'The request body must name a displayName.');
  const name = parsed.data.displayName.toLowerCase();
  if (
    [...state.folders.values()].some(
      (f) => f.parentFolderId === parentId && f.displayName.toLowerCase() === name,
    )
  ) {
    throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  return json(201, folderView(state, createFolder(state, parentId, parsed.data.displayName)));
}

function delta(args: RouteArgs) {
  const { mailbox, state } = resolve(args);
  const { req, env } = args;
  const token = tokenOf(req.query, mailbox.syncGeneration, 'folders') ?? {
    g: mailbox.syncGeneration,
    t: 'folders',
    s: -1,
  };
  const round = { ...token, u: token.u ?? state.seq };
  const requested = requestedPageSize(req.headers, req.query);
  const entries = [...state.folders.values()]
    .filter((f) => !f.isHidden)
    .map((f) => ({
      seq: f.seq,
      item: { '@odata.type': '#microsoft.graph.mailFolder', ...folderView(state, f) },
    }));
  const result = page(entries, round, requested ?? DEFAULT_LIST_SIZE);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#Collection(mailFolder)`,
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
  return json(200, body, requested ? { 'Preference-Applied': `odata.maxpagesize=${requested}` } : {});
}

export const mailFolderRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/mailFolders/delta', handler: delta },
  {
    method: 'GET',
    template: '/users/{m}/mailFolders',
    handler: (a) => list(a, resolve(a).mailbox.rootFolderId),
  },
  {
    method: 'POST',
    template: '/users/{m}/mailFolders',
    handler: (a) => create(a, resolve(a).mailbox.rootFolderId),
  },
  {
    method: 'GET',
    template: '/users/{m}/mailFolders/{f}',
    handler: (a) => {
      const { state, folder } = resolve(a);
      return json(200, folderView(state, folder as MailFolder));
    },
  },
  {
    method: 'GET',
    template: '/users/{m}/mailFolders/{f}/childFolders',
    handler: (a) => list(a, resolve(a).folder!.id),
  },
  {
    method: 'POST',
    template: '/users/{m}/mailFolders/{f}/childFolders',
    handler: (a) => create(a, resolve(a).folder!.id),
  },
];
