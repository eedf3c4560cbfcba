import { listFolders } from './contact-folders.js';
import type { GraphCaller } from './graph-call.js';

/**
 * Which folder ids of a mailbox are contact folders, cached per mailbox. A delete in Outlook or
 * through Graph is a soft delete: the contact moves to Deleted Items, a mail folder, where
 * `GET /users/{m}/contacts/{id}` still finds it (MGDC contact-delete.md: the item goes to
 * Deleted Items; learn.microsoft.com/graph/outlook-immutable-id: the id survives moves inside
 * the mailbox). For the sync such a contact is gone: Deleted Items is never synced.
 *
 * The cache is refreshed once when a contact names a folder it does not know (a folder the
 * user made since), so the common case costs no request.
 */
export class ContactFolderIndex {
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly graph: GraphCaller) {}

  async isContactFolder(mailbox: string, folderId: string): Promise<boolean> {
    const key = mailbox.toLowerCase();
    if (this.known.get(key)?.has(folderId)) return true;
    const fresh = new Set((await listFolders(this.graph, mailbox)).map((f) => f.id));
    this.known.set(key, fresh);
    return fresh.has(folderId);
  }
}
