import { child, children, el, esc, type XmlElement } from '../../../../shared/adapters/ews/xml.js';
import { type Shape, writeContact } from '../contact-codec.js';
import { resolveFolder } from '../folder-ops.js';
import type { OpContext } from '../item-ops.js';
import { type EwsHttpResponse, envelope, failure, SchemaError, success } from '../soap-response.js';
import { newId } from '../store.js';
import { isMailFolder, mailOf, moveMessage, removeMessage } from './mail-store.js';
import { elementFor, type MessageShape, messageXml, readMessageShape } from './message-codec.js';

/**
 * The item operations over mail (syncfolderitems-operation.md, getitem-operation-email-message.md)
 * and ResolveNames (resolvenames-operation.md). Each answers `null` when the request is not
 * about mail, so the contact operations (item-ops.ts) answer it instead.
 */

const NOT_FOUND = 'The specified object was not found in the store.';

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

/** The contact shape of the same ItemShape (contact-codec.ts), for contacts answered beside messages. */
function contactShapeOf(op: XmlElement, shape: MessageShape): Shape {
  const extra = child(child(op, 'ItemShape'), 'AdditionalProperties');
  return {
    base: shape.base,
    fieldUris: new Set(children(extra, 'FieldURI').map((f) => f.attrs['FieldURI'] ?? '')),
    extended: children(extra, 'ExtendedFieldURI').map((f) => f.attrs),
  };
}

/** SyncFolderItems over a mail folder: Create, Update, Delete and ReadFlagChange, in change order. */
export function mailSyncFolderItems(ctx: OpContext, op: XmlElement): EwsHttpResponse | null {
  const folder = resolveFolder(ctx.store, ctx.mailbox, child(op, 'SyncFolderId'));
  if (!folder || !isMailFolder(folder)) return null;
  expectOrder(op, ['ItemShape', 'SyncFolderId', 'SyncState', 'Ignore', 'MaxChangesReturned', 'SyncScope']);
  const shape = readMessageShape(child(op, 'ItemShape'));
  const maxText = child(op, 'MaxChangesReturned')?.text.trim();
  const max = Number(maxText);
  // MaxChangesReturnedType: xs:int, 1 to 512 (maxchangesreturned.md).
  if (maxText === undefined || !/^\d+$/.test(maxText) || max < 1 || max > 512)
    throw new SchemaError(
      `The 'MaxChangesReturned' element is invalid - The value '${maxText ?? ''}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:MaxSyncChangesReturnedType'.`,
    );
  const ending = (state: string, last: boolean) =>
    `${state ? el('m:SyncState', state) : '<m:SyncState/>'}<m:IncludesLastItemInRange>${last}</m:IncludesLastItemInRange>`;
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
  const mail = mailOf(ctx.mailbox);
  const ignored = new Set(children(child(op, 'Ignore'), 'ItemId').map((i) => i.attrs['Id'] ?? ''));
  type Change = { seq: number; id: string; xml: () => string; apply: () => void };
  const changes: Change[] = [];
  for (const item of mail.messages.values()) {
    if (item.folderId !== folder.id) continue;
    if (item.seq > since) {
      const kind = known.has(item.id) ? 'Update' : 'Create';
      changes.push({
        seq: item.seq,
        id: item.id,
        xml: () => `<t:${kind}>${messageXml(item, folder, shape)}</t:${kind}>`,
        apply: () => known.add(item.id),
      });
    } else if (item.readSeq > since && known.has(item.id)) {
      // Only the read flag changed: a ReadFlagChange, not an Update (readflagchange.md).
      changes.push({
        seq: item.readSeq,
        id: item.id,
        xml: () =>
          `<t:ReadFlagChange><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/><t:IsRead>${item.data.isRead}</t:IsRead></t:ReadFlagChange>`,
        apply: () => undefined,
      });
    }
  }
  // Contacts in a mail folder (Deleted Items, where a deleted contact goes) are its items too.
  const contactShape = contactShapeOf(op, shape);
  for (const item of ctx.mailbox.items.values()) {
    if (item.folderId !== folder.id || item.seq <= since) continue;
    const kind = known.has(item.id) ? 'Update' : 'Create';
    changes.push({
      seq: item.seq,
      id: item.id,
      xml: () => `<t:${kind}>${writeContact(item, contactShape, folder.changeKey)}</t:${kind}>`,
      apply: () => known.add(item.id),
    });
  }
  for (const gone of [...mail.tombstones, ...ctx.mailbox.tombstones]) {
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

/**
 * GetItem for messages: taken when at least one requested id is a message (a batch of contacts
 * only is the contact operation's); a contact in the same batch is answered as a Contact.
 */
export function mailGetItem(ctx: OpContext, op: XmlElement): EwsHttpResponse | null {
  const mail = mailOf(ctx.mailbox);
  const ids = children(child(op, 'ItemIds'), 'ItemId').map((ref) => ref.attrs['Id'] ?? '');
  if (!ids.some((id) => mail.messages.has(id))) return null;
  expectOrder(op, ['ItemShape', 'ItemIds']);
  const shape = readMessageShape(child(op, 'ItemShape'));
  const contactShape = contactShapeOf(op, shape);
  return envelope(
    'GetItem',
    ids.map((id) => {
      const item = mail.messages.get(id);
      const contact = ctx.mailbox.items.get(id);
      if (contact) {
        const parent = ctx.mailbox.folders.get(contact.folderId)?.changeKey ?? '';
        return success('GetItem', `<m:Items>${writeContact(contact, contactShape, parent)}</m:Items>`);
      }
      if (!item) return failure('GetItem', 'ErrorItemNotFound', NOT_FOUND, '<m:Items/>');
      const folder = ctx.mailbox.folders.get(item.folderId);
      return success('GetItem', `<m:Items>${messageXml(item, folder, shape)}</m:Items>`);
    }),
  );
}

/**
 * ResolveNames against the directory (the emulator's mailboxes; "Active Directory is searched
 * first"). Without a routing type the entry is matched against the primary SMTP address (and
 * the display name); with `smtp:` against every SMTP proxy address. With ReturnFullContactData
 * the directory entry's Contact carries its proxy addresses as `SMTP:`/`smtp:` entries, as the
 * page's answer shows (`SMTP:User2@example.com`); EmailAddressKeyType has only three keys, so a
 * Contact holds at most three of them.
 */
export function resolveNames(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  const entry = child(op, 'UnresolvedEntry')?.text.trim() ?? '';
  if (entry === '')
    throw new SchemaError("The element 'ResolveNames' has incomplete content. Expected 'UnresolvedEntry'.");
  const full = op.attrs['ReturnFullContactData'] === 'true';
  const prefixed = /^smtp:/i.test(entry);
  const wanted = entry.replace(/^smtp:/i, '').toLowerCase();
  const found = [...ctx.store.mailboxes.values()].filter((m) => {
    const state = mailOf(m);
    if (prefixed) return [m.smtp, ...state.aliases].some((a) => a.toLowerCase().startsWith(wanted));
    return m.smtp.toLowerCase().startsWith(wanted) || state.displayName.toLowerCase().startsWith(wanted);
  });
  if (found.length === 0)
    return envelope('ResolveNames', [
      failure('ResolveNames', 'ErrorNameResolutionNoResults', 'No results were found.'),
    ]);
  const resolutions = found
    .slice(0, 100)
    .map((m) => {
      const state = mailOf(m);
      const addresses = [`SMTP:${m.smtp}`, ...state.aliases.map((a) => `smtp:${a}`)].slice(0, 3);
      const contact = full
        ? `<t:Contact>${el('t:DisplayName', state.displayName)}<t:EmailAddresses>${addresses
            .map((a, i) => el('t:Entry', a, { Key: `EmailAddress${i + 1}` }))
            .join('')}</t:EmailAddresses><t:ContactSource>ActiveDirectory</t:ContactSource></t:Contact>`
        : '';
      return `<t:Resolution><t:Mailbox>${el('t:Name', state.displayName)}${el('t:EmailAddress', m.smtp)}<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>${contact}</t:Resolution>`;
    })
    .join('');
  const set = `<m:ResolutionSet TotalItemsInView="${found.length}" IncludesLastItemInRange="${found.length <= 100}">${resolutions}</m:ResolutionSet>`;
  if (found.length === 1) return envelope('ResolveNames', [success('ResolveNames', set)]);
  return envelope('ResolveNames', [
    `<m:ResolveNamesResponseMessage ResponseClass="Warning"><m:MessageText>Multiple results were found.</m:MessageText><m:ResponseCode>ErrorNameResolutionMultipleResults</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${set}</m:ResolveNamesResponseMessage>`,
  ]);
}

/**
 * MoveItem (moveitem-operation.md): every item into ToFolderId, each answered with its new
 * ItemId (EWS ids change on a move). Messages and contacts alike, as Outlook moves either.
 */
export function moveItem(ctx: OpContext, op: XmlElement): EwsHttpResponse {
  expectOrder(op, ['ToFolderId', 'ItemIds', 'ReturnNewItemIds']);
  const target = resolveFolder(ctx.store, ctx.mailbox, child(op, 'ToFolderId'));
  const mail = mailOf(ctx.mailbox);
  return envelope(
    'MoveItem',
    children(child(op, 'ItemIds'), 'ItemId').map((ref) => {
      const id = ref.attrs['Id'] ?? '';
      if (!target)
        return failure(
          'MoveItem',
          'ErrorFolderNotFound',
          'The specified folder could not be found in the store.',
          '<m:Items/>',
        );
      const message = mail.messages.get(id);
      if (message) {
        const moved = moveMessage(ctx.store, ctx.mailbox, message, target.id, ctx.now);
        const tag = `t:${elementFor(moved.data.itemClass)}`;
        return success(
          'MoveItem',
          `<m:Items><${tag}><t:ItemId Id="${esc(moved.id)}" ChangeKey="${esc(moved.changeKey)}"/></${tag}></m:Items>`,
        );
      }
      const contact = ctx.mailbox.items.get(id);
      if (contact) {
        const moved = ctx.store.moveItem(ctx.mailbox, contact, target.id, ctx.now);
        return success(
          'MoveItem',
          `<m:Items><t:Contact><t:ItemId Id="${esc(moved.id)}" ChangeKey="${esc(moved.changeKey)}"/></t:Contact></m:Items>`,
        );
      }
      return failure('MoveItem', 'ErrorItemNotFound', NOT_FOUND, '<m:Items/>');
    }),
  );
}

/**
 * DeleteItem over messages (deleteitem-operation.md): MoveToDeletedItems moves a message into
 * Deleted Items (a new id there), or deletes it for good when it is there already; SoftDelete
 * and HardDelete remove it from every folder view. Taken when a requested id is a message; a
 * request of contacts only is the contact operation's (item-ops.ts).
 */
export function mailDeleteItem(ctx: OpContext, op: XmlElement): EwsHttpResponse | null {
  const mail = mailOf(ctx.mailbox);
  const ids = children(child(op, 'ItemIds'), 'ItemId').map((ref) => ref.attrs['Id'] ?? '');
  if (!ids.some((id) => mail.messages.has(id))) return null;
  const type = op.attrs['DeleteType'];
  if (type !== 'HardDelete' && type !== 'SoftDelete' && type !== 'MoveToDeletedItems')
    throw new SchemaError("The required attribute 'DeleteType' is missing or invalid.");
  const trash = ctx.store.folder(ctx.mailbox, { distinguished: 'deleteditems' });
  return envelope(
    'DeleteItem',
    ids.map((id) => {
      const message = mail.messages.get(id);
      const contact = ctx.mailbox.items.get(id);
      if (!message && !contact) return failure('DeleteItem', 'ErrorItemNotFound', NOT_FOUND);
      const toTrash = type === 'MoveToDeletedItems' && trash !== undefined;
      if (message) {
        if (toTrash && message.folderId !== trash.id)
          moveMessage(ctx.store, ctx.mailbox, message, trash.id, ctx.now);
        else removeMessage(ctx.store, ctx.mailbox, message);
      } else if (contact) {
        if (toTrash && contact.folderId !== trash.id)
          ctx.store.moveItem(ctx.mailbox, contact, trash.id, ctx.now);
        else ctx.store.deleteItem(ctx.mailbox, contact);
      }
      return success('DeleteItem');
    }),
  );
}
