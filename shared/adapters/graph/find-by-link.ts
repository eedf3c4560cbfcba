import {
  type ExchangeContact,
  GRAPH_CONTACT_SELECT,
  graphContactSchema,
} from '../../contact/exchange-contact.js';
import { listFolders } from './contact-folders.js';
import { contactPageSchema } from './contact-page.js';
import { api, callGraph, type GraphCaller, parseGraphBody } from './graph-call.js';
import { paths, withQuery } from './graph-paths.js';
import { linkExpand, linkFilter } from './link-marker.js';

/**
 * The contact carrying a link id (the ownership marker), in any folder: the default folder
 * first, where the sync creates unless an account names another folder, then the others.
 * Rare (only a create retried after a crash needs it), so walking the folders is affordable.
 */
const CONTEXT = 'GET /users/{m}/contactFolders/{f}/contacts?$filter';

/** `$select` of the mapped window plus the marker, for reads of single contacts. */
export function contactQuery(propertyId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { $select: GRAPH_CONTACT_SELECT.join(','), $expand: linkExpand(propertyId), ...extra };
}

export async function findByLinkId(
  graph: GraphCaller,
  mailbox: string,
  propertyId: string,
  linkId: string,
): Promise<ExchangeContact | null> {
  const query = contactQuery(propertyId, { $filter: linkFilter(propertyId, linkId), $top: '1' });
  const inFolder = async (path: string) => {
    const page = await callGraph(
      graph,
      mailbox,
      CONTEXT,
      (client) => api(client, withQuery(path, query)).get(),
      contactPageSchema,
    );
    const first = page.value[0];
    return first === undefined ? null : parseGraphBody(CONTEXT, first, graphContactSchema);
  };
  const inDefault = await inFolder(paths.contacts(mailbox));
  if (inDefault) return inDefault;
  // listFolders puts the default folder first; it was searched above.
  const [, ...others] = await listFolders(graph, mailbox);
  for (const folder of others) {
    const found = await inFolder(paths.folderContacts(mailbox, folder.id));
    if (found) return found;
  }
  return null;
}
