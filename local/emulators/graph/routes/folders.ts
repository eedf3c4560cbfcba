import { z } from 'zod';
import { json, type RouteArgs } from '../context.js';
import { badRequest, GraphHttpError } from '../errors.js';
import type { Route } from '../router.js';
import type { Folder, Mailbox } from '../store.js';
import { folderFor, mailboxFor } from './lookup.js';

/**
 * Contact folders as Graph shows them: `GET /contactFolders` lists the folders *inside* the
 * default Contacts folder (not the default folder itself, which is `contactFolders/contacts`
 * or its id); `childFolders` lists the folders inside any folder. Deleted Items is a mail
 * folder, so it is never listed here and `contactFolders/{its id}` is not found.
 *
 * `DELETE /contactFolders/{id}` and `POST …/permanentDelete` ("contactFolder: permanentDelete":
 * "Permanently delete a contact folder and remove its items from the user's mailbox", 204)
 * remove the folder with its child folders and contacts; the default Contacts folder is a
 * distinguished folder and cannot be deleted.
 */
const folderView = (folder: Folder) => ({
  id: folder.id,
  parentFolderId: folder.parentFolderId,
  displayName: folder.displayName,
});

const createBody = z.object({ displayName: z.string().min(1), parentFolderId: z.string().optional() });

function children(mailbox: Mailbox, parentId: string): Folder[] {
  return [...mailbox.folders.values()].filter((f) => f.parentFolderId === parentId);
}

function listUnder(args: RouteArgs, parent: Folder, mailbox: Mailbox) {
  return json(200, {
    '@odata.context': `${args.env.origin}/v1.0/$metadata#users('${args.params['m']}')/contactFolders`,
    value: children(mailbox, parent.id).map(folderView),
  });
}

function createUnder(args: RouteArgs, parent: Folder, mailbox: Mailbox) {
  const parsed = createBody.safeParse(args.req.body);
  if (!parsed.success) throw badRequest('ErrorInvalidRequest', 'The request body must name a displayName.');
  if (
    children(mailbox, parent.id).some(
      (f) => f.displayName.toLowerCase() === parsed.data.displayName.toLowerCase(),
    )
  ) {
    throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  return json(201, folderView(args.env.store.createFolder(mailbox, parent.id, parsed.data.displayName)));
}

const updateBody = z
  .object({ displayName: z.string().min(1).optional(), parentFolderId: z.string().min(1).optional() })
  .strict();

/** "Update contactfolder": displayName and parentFolderId; 200 with the folder. */
function updateFolder(args: RouteArgs) {
  const { mailbox, folder } = resolve(args);
  const parsed = updateBody.safeParse(args.req.body);
  if (!parsed.success)
    throw badRequest('ErrorInvalidRequest', 'Only displayName and parentFolderId can be updated.');
  const { displayName, parentFolderId } = parsed.data;
  if (folder.id === mailbox.defaultFolderId && (displayName !== undefined || parentFolderId !== undefined)) {
    throw badRequest('ErrorCannotRenameDefaultFolder', 'The default folder cannot be renamed or moved.');
  }
  const parent = parentFolderId === undefined ? undefined : folderFor(args.env, mailbox, parentFolderId);
  for (let up: Folder | undefined = parent; up; up = mailbox.folders.get(up.parentFolderId)) {
    if (up.id === folder.id) throw badRequest('ErrorMoveCopyFailed', 'A folder cannot be moved into itself.');
  }
  const newParent = parent?.id ?? folder.parentFolderId;
  const name = displayName ?? folder.displayName;
  if (
    children(mailbox, newParent).some(
      (f) => f.id !== folder.id && f.displayName.toLowerCase() === name.toLowerCase(),
    )
  ) {
    throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  folder.displayName = name;
  folder.parentFolderId = newParent;
  return json(200, folderView(folder));
}

function deleteFolder(args: RouteArgs, folderParam: string) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  const folder = folderFor(args.env, mailbox, folderParam);
  if (folder.id === mailbox.defaultFolderId) {
    throw badRequest('ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
  }
  args.env.store.deleteFolder(mailbox, folder);
  return { status: 204 };
}

function resolve(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  return { mailbox, folder: folderFor(args.env, mailbox, args.params['f'] ?? 'contacts') };
}

export const folderRoutes: Route[] = [
  { method: 'PATCH', template: '/users/{m}/contactFolders/{f}', handler: updateFolder },
  {
    method: 'DELETE',
    template: '/users/{m}/contactFolders/{f}',
    handler: (a) => deleteFolder(a, a.params['f'] ?? ''),
  },
  {
    method: 'POST',
    template: '/users/{m}/contactFolders/{f}/permanentDelete',
    handler: (a) => deleteFolder(a, a.params['f'] ?? ''),
  },
  {
    method: 'POST',
    template: '/users/{m}/contactFolders/{p}/childFolders/{f}/permanentDelete',
    handler: (a) => deleteFolder(a, a.params['f'] ?? ''),
  },
  {
    method: 'GET',
    template: '/users/{m}/contactFolders',
    handler: (a) => {
      const { mailbox, folder } = resolve(a);
      return listUnder(a, folder, mailbox);
    },
  },
  {
    method: 'POST',
    template: '/users/{m}/contactFolders',
    handler: (a) => {
      const { mailbox, folder } = resolve(a);
      return createUnder(a, folder, mailbox);
    },
  },
  {
    method: 'GET',
    template: '/users/{m}/contactFolders/{f}',
    handler: (a) => json(200, folderView(resolve(a).folder)),
  },
  {
    method: 'GET',
    template: '/users/{m}/contactFolders/{f}/childFolders',
    handler: (a) => {
      const { mailbox, folder } = resolve(a);
      return listUnder(a, folder, mailbox);
    },
  },
  {
    method: 'POST',
    template: '/users/{m}/contactFolders/{f}/childFolders',
    handler: (a) => {
      const { mailbox, folder } = resolve(a);
      return createUnder(a, folder, mailbox);
    },
  },
];
