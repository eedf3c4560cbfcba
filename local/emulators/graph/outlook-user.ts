import { AdminError } from './admin-error.js';
import type { GraphApp } from './app.js';
import { enforceExchangeCaps, parseContactWrite } from './contact-body.js';
import { contactView } from './contact-view.js';
import { GraphHttpError } from './errors.js';
import type { Mailbox, StoredContact } from './store.js';
import { localMidnightUtc } from './time-zones.js';
import type { OutlookUserAdmin } from './types.js';

/**
 * What a person does in Outlook, which Graph v1.0 cannot do or does differently:
 * - drag a contact to another folder (Graph v1.0 has no contact move): regular id changes,
 *   immutable id stays ("Obtain immutable identifiers for Outlook resources");
 * - delete: to Deleted Items (from there: gone), and restore by moving back;
 * - delete a contact folder with everything in it;
 * - enter a birthday: Outlook stores the local midnight of the mailbox's time zone, in UTC
 *   (1 May 1980 in Berlin → 1980-04-30T22:00:00Z), not the UTC midnight Graph writes.
 * Contacts are answered with the regular id as `id` and the immutable one as `immutableId`.
 */
export function outlookUserAdmin(app: GraphApp): OutlookUserAdmin {
  const mailbox = (idOrUpn: string): Mailbox => {
    const found = app.store.find(idOrUpn);
    if (!found) throw new AdminError(404, `no mailbox '${idOrUpn}'`);
    return found;
  };
  const contact = (m: Mailbox, id: string): StoredContact => {
    const found = app.store.contact(m, id);
    if (!found) throw new AdminError(404, `no contact '${id}' in mailbox '${m.mail}'`);
    return found;
  };
  const view = (c: StoredContact) => ({
    ...contactView(c, { expandExtended: [] }),
    immutableId: c.immutableId,
  });
  const write = (m: Mailbox, body: unknown) => {
    const input = { ...((body ?? {}) as Record<string, unknown>) };
    delete input['folderId'];
    const birthday = input['birthday'];
    if (typeof birthday === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birthday)) {
      input['birthday'] = localMidnightUtc(birthday, m.timeZone);
    }
    try {
      return parseContactWrite(input);
    } catch (error) {
      throw asAdminError(error);
    }
  };
  const caps = (props: Record<string, unknown>) => {
    try {
      enforceExchangeCaps(props);
    } catch (error) {
      throw asAdminError(error);
    }
  };

  return {
    createContact(idOrUpn, body) {
      const m = mailbox(idOrUpn);
      const folderId = (body as { folderId?: unknown } | undefined)?.folderId;
      const folder = app.store.folder(m, typeof folderId === 'string' ? folderId : 'contacts');
      if (!folder) throw new AdminError(404, `no contact folder '${String(folderId)}'`);
      const parsed = write(m, body);
      caps(parsed.props);
      parsed.props['displayName'] ??= nameOf(parsed.props);
      return view(app.store.createContact(m, folder.id, parsed.props, parsed.extended));
    },
    updateContact(idOrUpn, id, body) {
      const m = mailbox(idOrUpn);
      const c = contact(m, id);
      const parsed = write(m, body);
      caps({ ...c.props, ...parsed.props });
      if (parsed.props['displayName'] === undefined && NAME_PARTS.some((k) => k in parsed.props)) {
        parsed.props['displayName'] = nameOf({ ...c.props, ...parsed.props });
      }
      return view(app.store.updateContact(m, c, parsed.props, parsed.extended));
    },
    moveContact(idOrUpn, id, destinationId) {
      const m = mailbox(idOrUpn);
      const c = contact(m, id);
      const destination = app.store.destination(m, destinationId);
      if (!destination) throw new AdminError(404, `no folder '${destinationId}' to move to`);
      return view(app.store.moveContact(m, c, destination.id));
    },
    deleteContact(idOrUpn, id) {
      const m = mailbox(idOrUpn);
      app.store.deleteContact(m, contact(m, id));
    },
    deleteFolder(idOrUpn, folderId) {
      const m = mailbox(idOrUpn);
      const folder = app.store.folder(m, folderId);
      if (!folder) throw new AdminError(404, `no contact folder '${folderId}'`);
      if (folder.id === m.defaultFolderId)
        throw new AdminError(400, 'the default Contacts folder cannot be deleted');
      app.store.deleteFolder(m, folder);
    },
    deletedItems(idOrUpn) {
      const m = mailbox(idOrUpn);
      return app.store.contactsIn(m, m.deletedItemsFolderId).map(view);
    },
  };
}

const NAME_PARTS = ['givenName', 'middleName', 'surname'];

function nameOf(props: Record<string, unknown>): string {
  return NAME_PARTS.map((k) => props[k])
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ');
}

function asAdminError(error: unknown): unknown {
  return error instanceof GraphHttpError ? new AdminError(400, `${error.code}: ${error.message}`) : error;
}
