import {
  ADDRESS_KEYS,
  ADDRESS_PARTS,
  EMAIL_KEYS,
  extendedKey,
  PHONE_KEYS,
} from '../../../shared/adapters/ews/ews-schema.js';
import { child, children, el, esc, type XmlElement } from '../../../shared/adapters/ews/xml.js';
import { readContact, type Shape, writeContact } from './contact-codec.js';
import { resolveFolder } from './folder-ops.js';
import {
  type EwsHttpResponse,
  enumerationError,
  envelope,
  failure,
  MessageError,
  SchemaError,
  success,
} from './soap-response.js';
import { type ContactData, type EwsStore, type Item, type Mailbox, newId } from './store.js';

/**
 * The item operations of the EWS reference (syncfolderitems-operation, getitem-operation-contact,
 * createitem-operation-contact, updateitem-operation-contact, deleteitem-operation). One response
 * message per item, each with its own ResponseClass, in request order.
 */
export interface OpContext {
  store: EwsStore;
  mailbox: Mailbox;
  now: Date;
}

const NOT_FOUND = 'The specified object was not found in the store.';

function readShape(shape: XmlElement | undefined): Shape {
  const base = child(shape, 'BaseShape')?.text.trim();
  if (base !== 'IdOnly' && base !== 'Default' && base !== 'AllProperties')
    throw new SchemaError(`The element 'ItemShape' has invalid content: BaseShape '${base ?? ''}'.`);
  const extra = child(shape, 'AdditionalProperties');
  return {
    base,
    fieldUris: new Set(children(extra, 'FieldURI').map((f) => f.attrs['FieldURI'] ?? '')),
    extended: children(extra, 'ExtendedFieldURI').map((f) => f.attrs),
  };
}

function expectOrder(op: XmlElement, order: string[]): void {
  let last = -1;
  for (const c of op.children) {
    const index = order.indexOf(c.name);
    if (index <= last)
      throw new SchemaError(
        `The element '${op.name}' in namespace '${op.ns}' has invalid child element '${c.name}' in namespace '${c.ns}'.`,
      );
    last = index;
  }
}

function contactXml(ctx: OpContext, item: Item, shape: Shape): string {
  return writeContact(item, shape, ctx.mailbox.folders.get(item.folderId)?.changeKey ?? '');
}

export function syncFolderItems(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  expectOrder(op, ['ItemShape', 'SyncFolderId', 'SyncState', 'Ignore', 'MaxChangesReturned', 'SyncScope']);
  const shape = readShape(child(op, 'ItemShape'));
  const maxText = child(op, 'MaxChangesReturned')?.text.trim();
  const max = Number(maxText);
  // MaxChangesReturnedType: xs:int, minInclusive 1, maxInclusive 512 (maxchangesreturned.md).
  if (maxText === undefined || !/^\d+$/.test(maxText) || max < 1 || max > 512)
    throw new SchemaError(
      `The 'MaxChangesReturned' element is invalid - The value '${maxText ?? ''}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:MaxSyncChangesReturnedType'.`,
    );
  const folder = resolveFolder(ctx.store, ctx.mailbox, child(op, 'SyncFolderId'));
  const ending = (state: string, last: boolean) =>
    `${state ? el('m:SyncState', state) : '<m:SyncState/>'}<m:IncludesLastItemInRange>${last}</m:IncludesLastItemInRange>`;
  if (!folder)
    return envelope('SyncFolderItems', [
      failure(
        'SyncFolderItems',
        'ErrorSyncFolderNotFound',
        'The folder to be synchronized could not be found.',
        ending('', true),
      ),
    ]);
  const token = child(op, 'SyncState')?.text.trim() ?? '';
  let since = 0;
  let known = new Set<string>();
  if (token !== '') {
    const state = ctx.mailbox.syncStates.get(token);
    if (!state || state.folderId !== folder.id)
      return envelope('SyncFolderItems', [
        failure(
          'SyncFolderItems',
          'ErrorInvalidSyncStateData',
          'Synchronization state data is corrupt or otherwise invalid.',
          ending('', true),
        ),
      ]);
    since = state.seq;
    known = new Set(state.known);
  }
  const ignored = new Set(children(child(op, 'Ignore'), 'ItemId').map((i) => i.attrs['Id'] ?? ''));
  type Change = { seq: number; id: string; xml: () => string; apply: () => void };
  const changes: Change[] = [];
  for (const item of ctx.mailbox.items.values()) {
    if (item.folderId !== folder.id || item.seq <= since) continue;
    const kind = known.has(item.id) ? 'Update' : 'Create';
    changes.push({
      seq: item.seq,
      id: item.id,
      xml: () => `<t:${kind}>${contactXml(ctx, item, shape)}</t:${kind}>`,
      apply: () => known.add(item.id),
    });
  }
  for (const gone of ctx.mailbox.tombstones) {
    if (gone.folderId !== folder.id || gone.seq <= since || !known.has(gone.id)) continue;
    changes.push({
      seq: gone.seq,
      id: gone.id,
      xml: () => `<t:Delete><t:ItemId Id="${esc(gone.id)}"/></t:Delete>`,
      apply: () => known.delete(gone.id),
    });
  }
  changes.sort((a, b) => a.seq - b.seq);
  const page = changes.slice(0, max);
  const last = page.length === changes.length;
  for (const c of page) c.apply();
  const seq = page.at(-1)?.seq ?? since;
  const next = newId();
  ctx.mailbox.syncStates.set(next, { folderId: folder.id, seq, known });
  const body = page
    .filter((c) => !ignored.has(c.id))
    .map((c) => c.xml())
    .join('');
  return envelope('SyncFolderItems', [
    success('SyncFolderItems', `${ending(next, last)}<m:Changes>${body}</m:Changes>`),
  ]);
}

export function getItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  expectOrder(op, ['ItemShape', 'ItemIds']);
  const shape = readShape(child(op, 'ItemShape'));
  const ids = children(child(op, 'ItemIds'), 'ItemId');
  return envelope(
    'GetItem',
    ids.map((ref) => {
      const item = ctx.mailbox.items.get(ref.attrs['Id'] ?? '');
      if (!item) return failure('GetItem', 'ErrorItemNotFound', NOT_FOUND, '<m:Items/>');
      return success('GetItem', `<m:Items>${contactXml(ctx, item, shape)}</m:Items>`);
    }),
  );
}

export function createItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  expectOrder(op, ['SavedItemFolderId', 'Items']);
  const folder = resolveFolder(ctx.store, ctx.mailbox, child(op, 'SavedItemFolderId'));
  const contacts = children(child(op, 'Items'), 'Contact');
  const datas = contacts.map(readContact); // a schema error fails the whole request, before any write
  return envelope(
    'CreateItem',
    datas.map((data) => {
      if (!folder)
        return failure(
          'CreateItem',
          'ErrorFolderNotFound',
          'The specified folder could not be found in the store.',
          '<m:Items/>',
        );
      if (!folder.folderClass.startsWith('IPF.Contact'))
        return failure(
          'CreateItem',
          'ErrorCannotCreateContactInNonContactFolder',
          'Cannot create a contact in a non-contact Folder.',
          '<m:Items/>',
        );
      data.fields['ItemClass'] ??= 'IPM.Contact';
      const item = ctx.store.createItem(ctx.mailbox, folder.id, data, ctx.now);
      return success(
        'CreateItem',
        `<m:Items><t:Contact><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Contact></m:Items>`,
      );
    }),
  );
}

type Edit = (data: ContactData) => void;

/** One SetItemField / DeleteItemField as an edit of the stored data, checked against the schema. */
function readUpdate(update: XmlElement): Edit {
  const uri = update.children[0];
  if (!uri) throw new SchemaError(`The element '${update.name}' has incomplete content.`);
  const setting = update.name === 'SetItemField';
  if (!setting && update.name !== 'DeleteItemField')
    throw new SchemaError(`'${update.name}' is not supported for contacts here.`);
  const contact = setting ? child(update, 'Contact') : undefined;
  if (setting && !contact)
    throw new SchemaError("The element 'SetItemField' has incomplete content. Expected 'Contact'.");
  if (contact) checkOneProperty(uri, contact);
  const given = contact ? readContact(contact) : undefined;
  if (uri.name === 'FieldURI') {
    const name = (uri.attrs['FieldURI'] ?? '').split(':')[1] ?? '';
    return (data) => {
      if (given) data.fields[name] = given.fields[name] ?? '';
      else delete data.fields[name];
    };
  }
  if (uri.name === 'ExtendedFieldURI') {
    const key = extendedKey(uri.attrs);
    return (data) => {
      if (given) data.extended[key] = given.extended[key] ?? '';
      else delete data.extended[key];
    };
  }
  if (uri.name !== 'IndexedFieldURI')
    throw new SchemaError(`The element has invalid child element '${uri.name}'.`);
  const field = uri.attrs['FieldURI'] ?? '';
  const index = uri.attrs['FieldIndex'] ?? '';
  if (field === 'contacts:EmailAddress') {
    if (!(EMAIL_KEYS as readonly string[]).includes(index))
      throw enumerationError(index, 'EmailAddressKeyType');
    // Clearing an e-mail slot removes its address, display name and routing type together.
    return (data) => {
      if (given) data.emails[index] = given.emails[index] ?? '';
      else delete data.emails[index];
    };
  }
  if (field === 'contacts:PhoneNumber') {
    if (!(PHONE_KEYS as readonly string[]).includes(index))
      throw enumerationError(index, 'PhoneNumberKeyType');
    return (data) => {
      if (given) data.phones[index] = given.phones[index] ?? '';
      else delete data.phones[index];
    };
  }
  const part = field.match(/^contacts:PhysicalAddress:(\w+)$/)?.[1];
  if (part && (ADDRESS_PARTS as readonly string[]).includes(part)) {
    if (!(ADDRESS_KEYS as readonly string[]).includes(index))
      throw enumerationError(index, 'PhysicalAddressKeyType');
    return (data) => {
      const address = { ...(data.addresses[index] ?? {}) };
      if (given) address[part] = given.addresses[index]?.[part] ?? '';
      else delete address[part];
      data.addresses[index] = address;
    };
  }
  throw new SchemaError(
    `The 'FieldURI' attribute is invalid - The value '${field}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:DictionaryURIType' - The Enumeration constraint failed.`,
  );
}

export function updateItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  const mode = op.attrs['ConflictResolution'];
  if (mode !== 'NeverOverwrite' && mode !== 'AutoResolve' && mode !== 'AlwaysOverwrite')
    throw new SchemaError("The required attribute 'ConflictResolution' is missing or invalid.");
  const changes = children(child(op, 'ItemChanges'), 'ItemChange').map((change) => ({
    ref: child(change, 'ItemId'),
    edits: (child(change, 'Updates')?.children ?? []).map(readUpdate),
  }));
  return envelope(
    'UpdateItem',
    changes.map(({ ref, edits }) => {
      const item = ctx.mailbox.items.get(ref?.attrs['Id'] ?? '');
      if (!item) return failure('UpdateItem', 'ErrorItemNotFound', NOT_FOUND, '<m:Items/>');
      const key = ref?.attrs['ChangeKey'];
      // A stale ChangeKey: NeverOverwrite fails; AutoResolve fails too here (Exchange may merge
      // non-overlapping changes; failing is the stricter side); AlwaysOverwrite ignores it.
      if (key !== undefined && key !== item.changeKey && mode !== 'AlwaysOverwrite')
        return failure(
          'UpdateItem',
          'ErrorIrresolvableConflict',
          'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
          '<m:Items/>',
        );
      const data = structuredClone(item.data);
      try {
        for (const edit of edits) edit(data);
      } catch (error) {
        if (error instanceof MessageError)
          return failure('UpdateItem', error.code, error.message, '<m:Items/>');
        throw error;
      }
      item.data = data;
      ctx.store.touch(item, ctx.now);
      return success(
        'UpdateItem',
        `<m:Items><t:Contact><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Contact></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`,
      );
    }),
  );
}

export function deleteItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  const type = op.attrs['DeleteType'];
  if (type !== 'HardDelete' && type !== 'SoftDelete' && type !== 'MoveToDeletedItems')
    throw new SchemaError("The required attribute 'DeleteType' is missing or invalid.");
  const ids = children(child(op, 'ItemIds'), 'ItemId');
  return envelope(
    'DeleteItem',
    ids.map((ref) => {
      const item = ctx.mailbox.items.get(ref.attrs['Id'] ?? '');
      if (!item) return failure('DeleteItem', 'ErrorItemNotFound', NOT_FOUND);
      const trash = ctx.store.folder(ctx.mailbox, { distinguished: 'deleteditems' });
      if (type === 'MoveToDeletedItems' && trash && item.folderId !== trash.id)
        ctx.store.moveItem(ctx.mailbox, item, trash.id, ctx.now);
      else ctx.store.deleteItem(ctx.mailbox, item);
      return success('DeleteItem');
    }),
  );
}

/**
 * FindItem with an IsEqualTo restriction on an extended property (finditem-operation,
 * isequalto.md), as the adapter looks for its link marker. Other restrictions are refused
 * with ErrorUnsupportedQueryFilter rather than answered wrongly.
 */
export function findItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  expectOrder(op, [
    'ItemShape',
    'IndexedPageItemView',
    'Restriction',
    'SortOrder',
    'ParentFolderIds',
    'QueryString',
  ]);
  const shape = readShape(child(op, 'ItemShape'));
  const equal = child(child(op, 'Restriction'), 'IsEqualTo');
  const uri = child(equal, 'ExtendedFieldURI');
  const value = child(child(equal, 'FieldURIOrConstant'), 'Constant')?.attrs['Value'];
  const parents = child(op, 'ParentFolderIds');
  if (!parents)
    throw new SchemaError("The element 'FindItem' has incomplete content. Expected 'ParentFolderIds'.");
  return envelope(
    'FindItem',
    parents.children.map((ref) => {
      const folder = resolveFolder(ctx.store, ctx.mailbox, { ...parents, children: [ref] });
      if (!folder)
        return failure(
          'FindItem',
          'ErrorFolderNotFound',
          'The specified folder could not be found in the store.',
        );
      if (child(op, 'Restriction') && (!uri || value === undefined))
        return failure(
          'FindItem',
          'ErrorUnsupportedQueryFilter',
          'The restriction is not supported by this emulator.',
        );
      const key = uri ? extendedKey(uri.attrs) : '';
      const found = [...ctx.mailbox.items.values()].filter(
        (i) => i.folderId === folder.id && (!uri || i.data.extended[key] === value),
      );
      return success(
        'FindItem',
        `<m:RootFolder TotalItemsInView="${found.length}" IncludesLastItemInRange="true"><t:Items>${found.map((i) => contactXml(ctx, i, shape)).join('')}</t:Items></m:RootFolder>`,
      );
    }),
  );
}

const ONE_PROPERTY =
  'An object within a change description must contain one and only one property to modify.';

/**
 * A SetItemField's item carries exactly the one property its FieldURI names (setitemfield.md:
 * "the property to update and the item that contains the new value"); anything else is
 * ErrorIncorrectUpdatePropertyCount, never a guess.
 */
function checkOneProperty(uri: XmlElement, contact: XmlElement): void {
  if (!carriesOneProperty(uri, contact))
    throw new MessageError('ErrorIncorrectUpdatePropertyCount', ONE_PROPERTY);
}

function carriesOneProperty(uri: XmlElement, contact: XmlElement): boolean {
  const [property, ...more] = contact.children;
  if (!property || more.length > 0) return false;
  const field = uri.attrs['FieldURI'] ?? '';
  if (uri.name === 'FieldURI') return property.name === field.split(':')[1];
  if (uri.name === 'ExtendedFieldURI') return property.name === 'ExtendedProperty';
  const container =
    field === 'contacts:EmailAddress'
      ? 'EmailAddresses'
      : field === 'contacts:PhoneNumber'
        ? 'PhoneNumbers'
        : 'PhysicalAddresses';
  const [entry, ...others] = property.children;
  if (property.name !== container || !entry || others.length > 0) return false;
  if (entry.attrs['Key'] !== uri.attrs['FieldIndex']) return false;
  const part = field.match(/^contacts:PhysicalAddress:(\w+)$/)?.[1];
  return !part || (entry.children.length === 1 && entry.children[0]?.name === part);
}
