import { z } from 'zod';
import type { ContactFolder } from '../../ports.js';
import { api, callGraph, type GraphCaller } from './graph-call.js';
import { paths, withQuery } from './graph-paths.js';

/**
 * Every contact folder of a mailbox: the default Contacts folder and all folders below it.
 * Graph's `GET /contactFolders` lists only the folders *inside* the default folder, and
 * `childFolders` one level at a time, so the tree is walked breadth first, following nextLinks.
 */
const folderSchema = z
  .object({ id: z.string().min(1), displayName: z.string().nullable().optional() })
  .loose();
const folderPageSchema = z.object({
  value: z.array(folderSchema),
  '@odata.nextLink': z.string().min(1).optional(),
});

const SELECT = { $select: 'id,displayName', $top: '100' };

export async function listFolders(graph: GraphCaller, mailbox: string): Promise<ContactFolder[]> {
  const root = await callGraph(
    graph,
    mailbox,
    'GET /users/{m}/contactFolders/contacts',
    (client) =>
      api(client, withQuery(paths.folder(mailbox, 'contacts'), { $select: 'id,displayName' })).get(),
    folderSchema,
  );
  const folders: ContactFolder[] = [view(root)];
  const seen = new Set([root.id]);
  let level = await listPaged(graph, mailbox, withQuery(paths.folders(mailbox), SELECT));
  while (level.length > 0) {
    const fresh = level.filter((f) => !seen.has(f.id));
    for (const folder of fresh) seen.add(folder.id);
    folders.push(...fresh);
    const below = await Promise.all(
      fresh.map((f) => listPaged(graph, mailbox, withQuery(paths.childFolders(mailbox, f.id), SELECT))),
    );
    level = below.flat();
  }
  return folders;
}

async function listPaged(graph: GraphCaller, mailbox: string, first: string): Promise<ContactFolder[]> {
  const folders: ContactFolder[] = [];
  for (let url: string | undefined = first; url !== undefined; ) {
    const current: string = url;
    const page = await callGraph(
      graph,
      mailbox,
      'GET /users/{m}/contactFolders',
      (client) => api(client, current).get(),
      folderPageSchema,
    );
    folders.push(...page.value.map(view));
    url = page['@odata.nextLink'];
  }
  return folders;
}

function view(folder: z.output<typeof folderSchema>): ContactFolder {
  return { id: folder.id, displayName: folder.displayName ?? '' };
}
