import { SyncError } from '../../errors.js';
import type { ContactFolder } from '../../ports.js';
import { HIDDEN_PROPERTY } from './ews-schema.js';
import type { EwsTransport } from './ews-transport.js';
import { callEws, orThrow } from './soap-client.js';
import { attributes, child, children } from './xml.js';

/**
 * The mailbox's contact folders from one SyncFolderHierarchy without a state (the whole
 * hierarchy; syncfolderhierarchy-operation): folders of class `IPF.Contact` or a subclass,
 * except hidden ones (PR_ATTR_HIDDEN: the Recipient Cache, Outlook's GAL contacts and
 * other folders Outlook never shows), as Evolution's EWS backend and DavMail do.
 */
const REQUEST =
  '<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>' +
  '<t:FieldURI FieldURI="folder:FolderClass"/><t:FieldURI FieldURI="folder:DisplayName"/>' +
  `<t:ExtendedFieldURI${attributes(HIDDEN_PROPERTY)}/>` +
  '</t:AdditionalProperties></m:FolderShape></m:SyncFolderHierarchy>';

export async function listContactFolders(transport: EwsTransport): Promise<ContactFolder[]> {
  const [message] = await callEws(transport, 'SyncFolderHierarchy', REQUEST);
  const element = orThrow('SyncFolderHierarchy', message);
  const folders: ContactFolder[] = [];
  for (const change of children(child(element, 'Changes'), 'Create')) {
    const folder = change.children[0];
    const folderClass = child(folder, 'FolderClass')?.text ?? '';
    if (folderClass !== 'IPF.Contact' && !folderClass.startsWith('IPF.Contact.')) continue;
    const hidden = children(folder, 'ExtendedProperty').some((p) => child(p, 'Value')?.text === 'true');
    if (hidden) continue;
    const id = child(folder, 'FolderId')?.attrs['Id'];
    if (id) folders.push({ id, displayName: child(folder, 'DisplayName')?.text ?? '' });
  }
  return folders;
}

/** The well-known Contacts folder's id, by GetFolder on its DistinguishedFolderId (getfolder-operation). */
export async function defaultContactsFolderId(transport: EwsTransport): Promise<string> {
  const [message] = await callEws(
    transport,
    'GetFolder',
    '<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>' +
      '<m:FolderIds><t:DistinguishedFolderId Id="contacts"/></m:FolderIds></m:GetFolder>',
  );
  const folder = child(orThrow('GetFolder', message), 'Folders')?.children[0];
  const id = child(folder, 'FolderId')?.attrs['Id'];
  if (!id) throw new SyncError('transient', 'UnexpectedResponse', 'GetFolder: no FolderId in the answer.');
  return id;
}
