import { extendedKey, HIDDEN_PROPERTY } from '../../../shared/adapters/ews/ews-schema.js';
import { child, children, el, esc, type XmlElement } from '../../../shared/adapters/ews/xml.js';
import { type EwsHttpResponse, envelope, failure, SchemaError, success } from './soap-response.js';
import { type EwsStore, type Folder, type Mailbox, newId } from './store.js';

/**
 * SyncFolderHierarchy and FindFolder (syncfolderhierarchy-operation, findfolder-operation).
 * Contact folders come back as `t:ContactsFolder`, others as `t:Folder`, in FolderType's order
 * (FolderId, ParentFolderId, FolderClass, DisplayName, TotalCount, ChildFolderCount,
 * ExtendedProperty). PR_ATTR_HIDDEN is returned when asked for as an extended property.
 */
export function resolveFolder(
  store: EwsStore,
  mailbox: Mailbox,
  holder: XmlElement | undefined,
): Folder | undefined {
  const ref = holder?.children[0];
  if (!ref) throw new SchemaError('A folder id is required.');
  if (ref.name === 'DistinguishedFolderId')
    return store.folder(mailbox, { distinguished: ref.attrs['Id'] ?? '' });
  if (ref.name === 'FolderId') return store.folder(mailbox, { id: ref.attrs['Id'] ?? '' });
  throw new SchemaError(`The element has invalid child element '${ref.name}'.`);
}

function folderXml(mailbox: Mailbox, folder: Folder, shape: XmlElement | undefined): string {
  const tag = folder.folderClass.startsWith('IPF.Contact') ? 't:ContactsFolder' : 't:Folder';
  const count = [...mailbox.items.values()].filter((i) => i.folderId === folder.id).length;
  const kids = [...mailbox.folders.values()].filter((f) => f.parentId === folder.id).length;
  const parent = folder.parentId ? mailbox.folders.get(folder.parentId) : undefined;
  const extended = children(child(shape, 'AdditionalProperties'), 'ExtendedFieldURI')
    .filter((uri) => extendedKey(uri.attrs) === extendedKey(HIDDEN_PROPERTY))
    .map(
      (uri) =>
        `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="${esc(uri.attrs['PropertyTag'] ?? '')}" PropertyType="Boolean"/>${el('t:Value', String(folder.hidden))}</t:ExtendedProperty>`,
    )
    .join('');
  return (
    `<${tag}><t:FolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
    (parent ? `<t:ParentFolderId Id="${esc(parent.id)}" ChangeKey="${esc(parent.changeKey)}"/>` : '') +
    `${el('t:FolderClass', folder.folderClass)}${el('t:DisplayName', folder.displayName)}` +
    `<t:TotalCount>${count}</t:TotalCount><t:ChildFolderCount>${kids}</t:ChildFolderCount>${extended}</${tag}>`
  );
}

function below(mailbox: Mailbox, rootId: string, deep: boolean): Folder[] {
  const out: Folder[] = [];
  const walk = (id: string) => {
    for (const f of mailbox.folders.values()) {
      if (f.parentId !== id) continue;
      out.push(f);
      if (deep) walk(f.id);
    }
  };
  walk(rootId);
  return out;
}

export function syncFolderHierarchy(store: EwsStore, mailbox: Mailbox, op: XmlElement): EwsHttpResponse {
  const shape = child(op, 'FolderShape');
  if (!shape)
    throw new SchemaError(
      "The element 'SyncFolderHierarchy' has incomplete content. List of possible elements expected: 'FolderShape'.",
    );
  const root = store.folder(mailbox, { distinguished: 'msgfolderroot' });
  if (!root) throw new Error('mailbox without root');
  const token = child(op, 'SyncState')?.text.trim() ?? '';
  const current = below(mailbox, root.id, true);
  let known = new Set<string>();
  if (token !== '') {
    const state = mailbox.syncStates.get(token);
    if (state?.folderId !== '(hierarchy)')
      return envelope('SyncFolderHierarchy', [
        failure(
          'SyncFolderHierarchy',
          'ErrorInvalidSyncStateData',
          'Synchronization state data is corrupt or otherwise invalid.',
          '<m:SyncState/><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange>',
        ),
      ]);
    known = state.known;
  }
  const ids = new Set(current.map((f) => f.id));
  const changes = [
    ...current
      .filter((f) => !known.has(f.id))
      .map((f) => `<t:Create>${folderXml(mailbox, f, shape)}</t:Create>`),
    ...[...known]
      .filter((id) => !ids.has(id))
      .map((id) => `<t:Delete><t:FolderId Id="${esc(id)}"/></t:Delete>`),
  ];
  const next = newId();
  mailbox.syncStates.set(next, { folderId: '(hierarchy)', seq: 0, known: ids });
  return envelope('SyncFolderHierarchy', [
    success(
      'SyncFolderHierarchy',
      `${el('m:SyncState', next)}<m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>${changes.join('')}</m:Changes>`,
    ),
  ]);
}

export function findFolder(store: EwsStore, mailbox: Mailbox, op: XmlElement): EwsHttpResponse {
  const traversal = op.attrs['Traversal'];
  if (traversal !== 'Shallow' && traversal !== 'Deep' && traversal !== 'SoftDeleted')
    throw new SchemaError(
      `The 'Traversal' attribute is invalid - The value '${traversal ?? ''}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:FolderQueryTraversalType' - The Enumeration constraint failed.`,
    );
  const shape = child(op, 'FolderShape');
  const parents = child(op, 'ParentFolderIds');
  if (!shape || !parents) throw new SchemaError("The element 'FindFolder' has incomplete content.");
  const messages = parents.children.map((ref) => {
    const folder = resolveFolder(store, mailbox, { ...parents, children: [ref] });
    if (!folder) {
      const malformed = ref.name === 'FolderId' && !/^[A-Za-z0-9+/=_-]{8,}$/.test(ref.attrs['Id'] ?? '');
      return malformed
        ? failure('FindFolder', 'ErrorInvalidIdMalformed', 'Id is malformed.')
        : failure(
            'FindFolder',
            'ErrorFolderNotFound',
            'The specified folder could not be found in the store.',
          );
    }
    const found = traversal === 'SoftDeleted' ? [] : below(mailbox, folder.id, traversal === 'Deep');
    return success(
      'FindFolder',
      `<m:RootFolder TotalItemsInView="${found.length}" IncludesLastItemInRange="true"><t:Folders>${found.map((f) => folderXml(mailbox, f, shape)).join('')}</t:Folders></m:RootFolder>`,
    );
  });
  return envelope('FindFolder', messages);
}

/** GetFolder (getfolder-operation): one message per folder id, ErrorFolderNotFound for an unknown one. */
export function getFolder(store: EwsStore, mailbox: Mailbox, op: XmlElement): EwsHttpResponse {
  const shape = child(op, 'FolderShape');
  const ids = child(op, 'FolderIds');
  if (!shape || !ids) throw new SchemaError("The element 'GetFolder' has incomplete content.");
  return envelope(
    'GetFolder',
    ids.children.map((ref) => {
      const folder = resolveFolder(store, mailbox, { ...ids, children: [ref] });
      if (!folder)
        return failure(
          'GetFolder',
          'ErrorFolderNotFound',
          'The specified folder could not be found in the store.',
        );
      return success('GetFolder', `<m:Folders>${folderXml(mailbox, folder, shape)}</m:Folders>`);
    }),
  );
}
