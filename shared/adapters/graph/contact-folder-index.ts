import { listFolders } from './contact-folders.js';
import type { GraphCaller } from './graph-call.js';

/**
 * Which folder ids of a mailbox are contact folders, cached per mailbox. A delete in Outlook or
 * through Graph is a soft delete: the contact moves to Deleted Items, a mail folder, where
 * `GET /users/{m}/contacts/{id}` still finds it (MGDC contact-delete.md: the item goes to
 * Deleted Items; learn.microsoft.com/graph/outlook-immutable-id: the id survives moves inside
 * the mailbox). For the sync such a contact is gone: Deleted Items is never synced.
 *
 * The folders are listed again only when a contact names a folder not seen yet (one the user
 * made since); a folder found not to be a contact folder stays so (ids are never reused), and
 * concurrent reads share one listing, so a bulk push costs one listing per mailbox.
 */
interface MailboxFolders {
  contact: Set<string>;
  other: Set<string>;
  listing: Promise<Set<string>> | undefined;
}

export class ContactFolderIndex {
  private readonly mailboxes = new Map<string, MailboxFolders>();

  constructor(private readonly graph: GraphCaller) {}

  async isContactFolder(mailbox: string, folderId: string): Promise<boolean> {
    const key = mailbox.toLowerCase();
    let known = this.mailboxes.get(key);
    if (!known) {
      known = { contact: new Set(), other: new Set(), listing: undefined };
      this.mailboxes.set(key, known);
    }
    if (known.contact.has(folderId)) return true;
    if (known.other.has(folderId)) return false;
    const entry = known;
    entry.listing ??= listFolders(this.graph, mailbox)
      .then((folders) => new Set(folders.map((f) => f.id)))
      .finally(() => {
        entry.listing = undefined;
      });
    const fresh = await entry.listing;
    for (const id of fresh) entry.contact.add(id);
    if (fresh.has(folderId)) return true;
    entry.other.add(folderId);
    return false;
  }
}
