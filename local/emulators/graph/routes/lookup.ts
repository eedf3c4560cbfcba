import type { Caller, EmulatorEnv } from '../context.js';
import { GraphHttpError, notFound } from '../errors.js';
import type { Folder, Mailbox, StoredContact } from '../store.js';

/** Resolves the `{m}`, `{f}` and `{id}` parts of a path, with Graph's errors when they are unknown. */
export function mailboxFor(env: EmulatorEnv, caller: Caller, idOrUpn: string): Mailbox {
  const mailbox = env.store.find(idOrUpn);
  // A mailbox of another tenant does not exist in the caller's directory.
  if (!mailbox || mailbox.tenantId !== caller.tenantId) {
    throw new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
  }
  const unavailable = env.faults.unavailable.get(mailbox.id);
  if (unavailable) throw UNAVAILABLE[unavailable]();
  return mailbox;
}

/**
 * How Graph answers for a mailbox that exists but cannot be read (admin fault
 * `mailboxUnavailable`), with the bodies reported from production:
 * - unlicensed, inactive, soft-deleted or on-premises: 404 MailboxNotEnabledForRESTAPI, "The
 *   mailbox is either inactive, soft-deleted, or is hosted on-premise."
 *   (msgraph-sdk-javascript#1756, microsoft-graph-docs-contrib#405);
 * - no mailbox behind the user (yet): 404 ResourceNotFound, "Resource could not be discovered."
 *   (microsoft-graph-docs#4598; "will happen when you try and call api on a users mailbox that
 *   does not exist", microsoft-graph-docs#5143);
 * - outside an application access policy: 403 ErrorAccessDenied, "Access to OData is disabled:
 *   [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings." ("Limiting
 *   application permissions to specific Exchange Online mailboxes").
 */
const UNAVAILABLE = {
  MailboxNotEnabledForRESTAPI: () =>
    new GraphHttpError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    ),
  ResourceNotFound: () => new GraphHttpError(404, 'ResourceNotFound', 'Resource could not be discovered.'),
  ErrorAccessDenied: () =>
    new GraphHttpError(
      403,
      'ErrorAccessDenied',
      'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
    ),
};

export function folderFor(env: EmulatorEnv, mailbox: Mailbox, idOrAlias: string): Folder {
  const folder = env.store.folder(mailbox, idOrAlias);
  if (!folder) throw notFound();
  return folder;
}

/** By either id form; a regular id from before a move no longer resolves, as in Exchange. */
export function contactFor(mailbox: Mailbox, id: string, folder?: Folder): StoredContact {
  const contact = mailbox.contacts.get(id) ?? mailbox.contacts.get(mailbox.regularIds.get(id) ?? '');
  if (!contact || (folder && contact.folderId !== folder.id)) throw notFound();
  return contact;
}

/** `If-Match` on PATCH/DELETE: `*`, `W/"<changeKey>"` or `"<changeKey>"`; a stale one is a conflict. */
export function checkIfMatch(headers: Record<string, string>, contact: StoredContact): void {
  const ifMatch = headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (!tags.includes(contact.changeKey)) {
    throw new GraphHttpError(
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    );
  }
}

/** Absolute link as Graph writes it: `$` of OData options unescaped, values percent-encoded. */
export function graphUrl(env: EmulatorEnv, path: string, query: URLSearchParams): string {
  const search = [...query].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${env.origin}/v1.0${path}${search ? `?${search}` : ''}`;
}
