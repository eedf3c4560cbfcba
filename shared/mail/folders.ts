import type { MailSettings } from './settings.js';

/**
 * Which mail folders are synced (issue 17, item 1): Inbox and Sent Items by default, or every
 * folder `mailFolders/delta` lists; never Deleted Items, Junk Email, Drafts or Outbox, nor
 * any folder below them (a folder inside Deleted Items is deleted too). v1.0 mailFolder has
 * no well-known-name property, so the caller resolves the well-known ids first
 * (`GET /users/{id}/mailFolders/{wellKnownName}`, learn.microsoft.com/graph/api/resources/mailfolder).
 */

export const SYNCED_BY_DEFAULT = ['inbox', 'sentitems'] as const;
export const NEVER_SYNCED = ['deleteditems', 'junkemail', 'drafts', 'outbox'] as const;
export type WellKnownFolder = (typeof SYNCED_BY_DEFAULT)[number] | (typeof NEVER_SYNCED)[number];

export interface MailFolderInfo {
  id: string;
  parentFolderId: string | null;
  displayName: string;
}

/** Ids of the folders to sync, in the order given. */
export function foldersToSync(
  folders: readonly MailFolderInfo[],
  wellKnown: Partial<Record<WellKnownFolder, string>>,
  mode: MailSettings['folders'],
): string[] {
  const never = new Set(NEVER_SYNCED.flatMap((name) => wellKnown[name] ?? []));
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const excluded = (folder: MailFolderInfo): boolean => {
    // Walks up the tree; `seen` guards against a cycle in bad input.
    const seen = new Set<string>();
    for (let at: MailFolderInfo | undefined = folder; at && !seen.has(at.id); ) {
      if (never.has(at.id)) return true;
      seen.add(at.id);
      at = at.parentFolderId ? byId.get(at.parentFolderId) : undefined;
    }
    return false;
  };
  if (mode === 'inboxAndSent') {
    const wanted = new Set(SYNCED_BY_DEFAULT.flatMap((name) => wellKnown[name] ?? []));
    return folders.filter((f) => wanted.has(f.id) && !excluded(f)).map((f) => f.id);
  }
  return folders.filter((f) => !excluded(f)).map((f) => f.id);
}
