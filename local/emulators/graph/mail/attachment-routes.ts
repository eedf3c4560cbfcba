import { json, type RouteArgs } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Route } from '../router.js';
import { mailboxFor } from '../routes/lookup.js';
import type { StoredAttachment } from './deliver.js';
import { findFolder, findMessage, mailOf } from './mail-store.js';

/**
 * "List attachments" (learn.microsoft.com/graph/api/message-list-attachments): the message's
 * attachments as `fileAttachment`s with `id`, `name`, `contentType`, `size`, `isInline` and
 * `lastModifiedDateTime`; `$select` narrows them (the `@odata.type` stays). The emulator keeps
 * only the metadata, so `contentBytes` is never returned (ask for it and the request fails,
 * which is fine: the product never does).
 */
const PROPERTIES = ['id', 'name', 'contentType', 'size', 'isInline', 'lastModifiedDateTime'];

function list(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  const state = mailOf(mailbox);
  const message = findMessage(state, args.params['id'] ?? '');
  if (!message || findFolder(state, 'recoverableitemsdeletions')?.id === message.folderId) throw notFound();
  const raw = args.req.query.get('$select');
  const names = raw ? raw.split(',').map((s) => s.trim()) : PROPERTIES;
  const unknown = names.find((name) => !PROPERTIES.includes(name));
  if (unknown) {
    throw badRequest(
      'RequestBroker--ParseUri',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.attachment'.`,
    );
  }
  const attachments = (message.props['attachments'] as StoredAttachment[] | undefined) ?? [];
  const value = attachments.map((a, i) => {
    const all: Record<string, unknown> = {
      id: `${message.immutableId}-att${i}`,
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      isInline: false,
      lastModifiedDateTime: message.lastModifiedDateTime,
    };
    return {
      '@odata.type': '#microsoft.graph.fileAttachment',
      ...Object.fromEntries(names.map((n) => [n, all[n]])),
    };
  });
  return json(200, {
    '@odata.context': `${args.env.origin}/v1.0/$metadata#users('${encodeURIComponent(args.params['m'] ?? '')}')/messages('${encodeURIComponent(args.params['id'] ?? '')}')/attachments`,
    value,
  });
}

export const attachmentRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/messages/{id}/attachments', handler: list },
];
