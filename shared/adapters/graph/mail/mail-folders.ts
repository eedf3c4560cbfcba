import { z } from 'zod';
import { isSyncError } from '../../../errors.js';
import {
  foldersToSync,
  type MailFolderInfo,
  NEVER_SYNCED,
  SYNCED_BY_DEFAULT,
  type WellKnownFolder,
} from '../../../mail/folders.js';
import type { MailSettings } from '../../../mail/settings.js';
import { api, callGraph, type GraphCaller } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { mailPaths } from './mail-paths.js';

/**
 * Which folders of a mailbox are synced (issue 17, item 1; shared/mail/folders.ts decides).
 * Inbox and Sent Items are read by their well-known names (two requests). With every folder,
 * the hierarchy comes from `mailFolders/delta` ("mailFolder: delta": every folder of the tree,
 * flat), and the well-known folders that are never synced are looked up by name, since v1.0
 * mailFolder carries no well-known name of its own. A well-known folder a mailbox lacks
 * (404) is simply absent.
 */

const folderSchema = z
  .object({
    id: z.string().min(1),
    displayName: z.string().nullable().optional(),
    parentFolderId: z.string().nullable().optional(),
  })
  .loose();
const folderPageSchema = z
  .object({
    value: z.array(z.unknown()),
    '@odata.nextLink': z.string().min(1).optional(),
    '@odata.deltaLink': z.string().min(1).optional(),
  })
  .loose();
const removedSchema = z.object({ id: z.string(), '@removed': z.object({}).loose() }).loose();

const SELECT = 'id,displayName,parentFolderId';

const info = (folder: z.output<typeof folderSchema>): MailFolderInfo => ({
  id: folder.id,
  displayName: folder.displayName ?? '',
  parentFolderId: folder.parentFolderId ?? null,
});

async function wellKnownFolder(
  graph: GraphCaller,
  mailbox: string,
  name: WellKnownFolder,
): Promise<MailFolderInfo | null> {
  try {
    const folder = await callGraph(
      graph,
      mailbox,
      'GET /users/{m}/mailFolders/{wellKnownName}',
      (client) => api(client, withQuery(mailPaths.folder(mailbox, name), { $select: SELECT })).get(),
      folderSchema,
    );
    return info(folder);
  } catch (error) {
    if (isSyncError(error, 'notFound')) return null;
    throw error;
  }
}

async function allFolders(graph: GraphCaller, mailbox: string): Promise<MailFolderInfo[]> {
  const found = new Map<string, MailFolderInfo>();
  let url = withQuery(mailPaths.folderDelta(mailbox), { $select: SELECT });
  for (let pages = 0; pages < 1000; pages++) {
    const page = await callGraph(
      graph,
      mailbox,
      'GET /users/{m}/mailFolders/delta',
      (client) => api(client, url, 'odata.maxpagesize=200').get(),
      folderPageSchema,
    );
    for (const item of page.value) {
      if (removedSchema.safeParse(item).success) continue;
      const folder = folderSchema.safeParse(item);
      if (folder.success) found.set(folder.data.id, info(folder.data));
    }
    const next = page['@odata.nextLink'];
    if (next === undefined) break;
    url = next;
  }
  return [...found.values()];
}

export async function syncedFolders(
  graph: GraphCaller,
  mailbox: string,
  mode: MailSettings['folders'],
): Promise<MailFolderInfo[]> {
  const names: WellKnownFolder[] = mode === 'all' ? [...NEVER_SYNCED] : [...SYNCED_BY_DEFAULT];
  const known = await Promise.all(names.map((name) => wellKnownFolder(graph, mailbox, name)));
  const wellKnown: Partial<Record<WellKnownFolder, string>> = {};
  names.forEach((name, i) => {
    const folder = known[i];
    if (folder) wellKnown[name] = folder.id;
  });
  const folders =
    mode === 'all' ? await allFolders(graph, mailbox) : known.filter((f): f is MailFolderInfo => f !== null);
  const ids = new Set(foldersToSync(folders, wellKnown, mode));
  return folders.filter((folder) => ids.has(folder.id));
}
