import {
  foldersToSync,
  type MailFolderInfo,
  NEVER_SYNCED,
  SYNCED_BY_DEFAULT,
  type WellKnownFolder,
} from '../../../mail/folders.js';
import type { MailSettings } from '../../../mail/settings.js';
import { HIDDEN_PROPERTY } from '../ews-schema.js';
import type { EwsTransport } from '../ews-transport.js';
import { callEws, orThrow } from '../soap-client.js';
import { attributes, child, children, esc, type XmlElement } from '../xml.js';

/**
 * Which mail folders of a mailbox are synced (issue 17 item 1; shared/mail/folders.ts decides).
 * Inbox and Sent Items by their DistinguishedFolderIds (`inbox`, `sentitems`) in one GetFolder
 * (getfolder-operation.md: one response message per folder id). With every folder, the tree
 * comes from SyncFolderHierarchy without a state (syncfolderhierarchy-operation.md; the whole
 * hierarchy below the message root), mail folders being those of class IPF.Note or a subclass,
 * hidden ones skipped as for contacts; the never-synced well-known folders (Deleted Items,
 * Junk Email, Drafts, Outbox) are looked up by name in one GetFolder. A well-known folder a
 * mailbox lacks (ErrorFolderNotFound) is simply absent.
 */
const DISTINGUISHED = new Set<string>([...SYNCED_BY_DEFAULT, ...NEVER_SYNCED]);

/** A folder reference: a well-known name as DistinguishedFolderId, anything else as FolderId. */
export function folderRef(idOrName: string): string {
  return DISTINGUISHED.has(idOrName)
    ? `<t:DistinguishedFolderId Id="${esc(idOrName)}"/>`
    : `<t:FolderId Id="${esc(idOrName)}"/>`;
}

const FOLDER_PROPS =
  '<t:AdditionalProperties><t:FieldURI FieldURI="folder:FolderClass"/><t:FieldURI FieldURI="folder:DisplayName"/>' +
  `<t:FieldURI FieldURI="folder:ParentFolderId"/><t:ExtendedFieldURI${attributes(HIDDEN_PROPERTY)}/></t:AdditionalProperties>`;

function info(folder: XmlElement | undefined): MailFolderInfo | null {
  const id = child(folder, 'FolderId')?.attrs['Id'];
  if (!id) return null;
  return {
    id,
    displayName: child(folder, 'DisplayName')?.text ?? '',
    parentFolderId: child(folder, 'ParentFolderId')?.attrs['Id'] ?? null,
  };
}

async function wellKnown(
  transport: EwsTransport,
  names: readonly WellKnownFolder[],
): Promise<(MailFolderInfo | null)[]> {
  const messages = await callEws(
    transport,
    'GetFolder',
    `<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>${FOLDER_PROPS}</m:FolderShape><m:FolderIds>${names
      .map(folderRef)
      .join('')}</m:FolderIds></m:GetFolder>`,
  );
  return names.map((_, i) => {
    const message = messages[i];
    if (message && !message.ok && message.code === 'ErrorFolderNotFound') return null;
    return info(child(orThrow('GetFolder', message), 'Folders')?.children[0]);
  });
}

async function mailFolderTree(transport: EwsTransport): Promise<MailFolderInfo[]> {
  const [message] = await callEws(
    transport,
    'SyncFolderHierarchy',
    `<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>${FOLDER_PROPS}</m:FolderShape></m:SyncFolderHierarchy>`,
  );
  const found: MailFolderInfo[] = [];
  for (const change of children(child(orThrow('SyncFolderHierarchy', message), 'Changes'), 'Create')) {
    const folder = change.children[0];
    const folderClass = child(folder, 'FolderClass')?.text ?? '';
    if (folderClass !== 'IPF.Note' && !folderClass.startsWith('IPF.Note.')) continue;
    if (children(folder, 'ExtendedProperty').some((p) => child(p, 'Value')?.text === 'true')) continue;
    const f = info(folder);
    if (f) found.push(f);
  }
  return found;
}

export async function syncedMailFolders(
  transport: EwsTransport,
  mode: MailSettings['folders'],
): Promise<MailFolderInfo[]> {
  const names: WellKnownFolder[] = mode === 'all' ? [...NEVER_SYNCED] : [...SYNCED_BY_DEFAULT];
  const known = await wellKnown(transport, names);
  const ids: Partial<Record<WellKnownFolder, string>> = {};
  names.forEach((name, i) => {
    const folder = known[i];
    if (folder) ids[name] = folder.id;
  });
  const folders =
    mode === 'all' ? await mailFolderTree(transport) : known.filter((f): f is MailFolderInfo => f !== null);
  const wanted = new Set(foldersToSync(folders, ids, mode));
  return folders.filter((f) => wanted.has(f.id));
}
