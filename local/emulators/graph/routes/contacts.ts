import { enforceExchangeCaps, parseContactWrite } from '../contact-body.js';
import { contactView } from '../contact-view.js';
import { json, type RouteArgs } from '../context.js';
import { wantsImmutableIds } from '../id-type.js';
import { parseContactFilter } from '../odata-filter.js';
import { parseExpand, parseSelect, parseSkip, parseTop } from '../odata-query.js';
import type { Route } from '../router.js';
import type { Folder, Mailbox } from '../store.js';
import { checkIfMatch, contactFor, folderFor, graphUrl, mailboxFor } from './lookup.js';

/** Contacts CRUD: `/users/{m}/contacts` is the default folder, `/contactFolders/{f}/contacts` any folder. */
function target({ env, caller, params }: RouteArgs): { mailbox: Mailbox; folder: Folder } {
  const mailbox = mailboxFor(env, caller, params['m'] ?? '');
  const folder = folderFor(env, mailbox, params['f'] ?? 'contacts');
  return { mailbox, folder };
}

function list(args: RouteArgs) {
  const { req, env } = args;
  const { mailbox, folder } = target(args);
  const select = parseSelect(req.query);
  const expandExtended = parseExpand(req.query);
  const immutable = wantsImmutableIds(req.headers);
  const filterText = req.query.get('$filter');
  const predicate = filterText ? parseContactFilter(filterText) : () => true;
  const top = parseTop(req.query);
  const skip = parseSkip(req.query);
  const matching = env.store.contactsIn(mailbox, folder.id).filter(predicate);
  const page = matching.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#users('${encodeURIComponent(args.params['m'] ?? '')}')/contacts`,
    value: page.map((c) => contactView(c, { select, expandExtended, immutable })),
  };
  if (skip + top < matching.length) {
    const next = new URLSearchParams(req.query);
    next.set('$top', String(top));
    next.set('$skip', String(skip + top));
    body['@odata.nextLink'] = graphUrl(env, req.path, next);
  }
  return json(200, body);
}

function create(args: RouteArgs) {
  const { mailbox, folder } = target(args);
  const write = parseContactWrite(args.req.body);
  enforceExchangeCaps(write.props);
  if (write.props['displayName'] === undefined) write.props['displayName'] = defaultDisplayName(write.props);
  const contact = args.env.store.createContact(mailbox, folder.id, write.props, write.extended);
  const immutable = wantsImmutableIds(args.req.headers);
  const view = contactView(contact, { select: parseSelect(args.req.query), immutable });
  const location = `${args.env.origin}/v1.0/users('${mailbox.id}')/contacts('${view['id']}')`;
  return json(201, view, { Location: location });
}

function get(args: RouteArgs) {
  const { mailbox, folder } = target(args);
  const folderScoped = args.params['f'] !== undefined ? folder : undefined;
  const contact = contactFor(mailbox, args.params['id'] ?? '', folderScoped);
  const select = parseSelect(args.req.query);
  const immutable = wantsImmutableIds(args.req.headers);
  return json(200, contactView(contact, { select, expandExtended: parseExpand(args.req.query), immutable }));
}

function update(args: RouteArgs) {
  const { mailbox, folder } = target(args);
  const contact = contactFor(
    mailbox,
    args.params['id'] ?? '',
    args.params['f'] !== undefined ? folder : undefined,
  );
  checkIfMatch(args.req.headers, contact);
  const write = parseContactWrite(args.req.body);
  enforceExchangeCaps({ ...contact.props, ...write.props });
  // "later updates to other properties may cause an automatically generated value to overwrite
  // the displayName value you have specified. To preserve a pre-existing value, always include
  // it as displayName in an update operation" (Update contact, displayName).
  if (write.props['displayName'] === undefined && NAME_PARTS.some((key) => key in write.props)) {
    write.props['displayName'] = defaultDisplayName({ ...contact.props, ...write.props });
  }
  args.env.store.updateContact(mailbox, contact, write.props, write.extended);
  return json(200, contactView(contact, { immutable: wantsImmutableIds(args.req.headers) }));
}

function remove(args: RouteArgs) {
  const { mailbox, folder } = target(args);
  const contact = contactFor(
    mailbox,
    args.params['id'] ?? '',
    args.params['f'] !== undefined ? folder : undefined,
  );
  checkIfMatch(args.req.headers, contact);
  args.env.store.deleteContact(mailbox, contact);
  return { status: 204 };
}

const NAME_PARTS = ['givenName', 'middleName', 'surname'];

/**
 * "contact: permanentDelete" (v1.0 and beta, https://learn.microsoft.com/graph/api/contact-permanentdelete):
 * purged at once ("place it in the purges folder in the dumpster"; Outlook cannot reach it),
 * not moved to Deleted Items; 204 No Content. Also for a contact in Deleted Items (by id).
 * `If-Match` is ignored: the page lists only Authorization among the request headers, so
 * nothing says Graph checks it here, and an emulator that refused a stale one would be kinder
 * than the service (the adapter gets its condition from the conditional DELETE before it).
 */
function permanentDelete(args: RouteArgs) {
  const { mailbox, folder } = target(args);
  const contact = contactFor(
    mailbox,
    args.params['id'] ?? '',
    args.params['f'] !== undefined ? folder : undefined,
  );
  args.env.store.purgeContact(mailbox, contact);
  return { status: 204 };
}

/** Exchange fills displayName from the name parts when a create leaves it out. */
function defaultDisplayName(props: Record<string, unknown>): string {
  return NAME_PARTS.map((key) => props[key])
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ');
}

export const contactRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/contacts', handler: list },
  { method: 'POST', template: '/users/{m}/contacts', handler: create },
  { method: 'GET', template: '/users/{m}/contacts/{id}', handler: get },
  { method: 'PATCH', template: '/users/{m}/contacts/{id}', handler: update },
  { method: 'DELETE', template: '/users/{m}/contacts/{id}', handler: remove },
  { method: 'GET', template: '/users/{m}/contactFolders/{f}/contacts', handler: list },
  { method: 'POST', template: '/users/{m}/contactFolders/{f}/contacts', handler: create },
  { method: 'GET', template: '/users/{m}/contactFolders/{f}/contacts/{id}', handler: get },
  { method: 'PATCH', template: '/users/{m}/contactFolders/{f}/contacts/{id}', handler: update },
  { method: 'DELETE', template: '/users/{m}/contactFolders/{f}/contacts/{id}', handler: remove },
  {
    method: 'POST',
    template: '/users/{m}/contacts/{id}/permanentDelete',
    handler: permanentDelete,
  },
  {
    method: 'POST',
    template: '/users/{m}/contactFolders/{f}/contacts/{id}/permanentDelete',
    handler: permanentDelete,
  },
];
