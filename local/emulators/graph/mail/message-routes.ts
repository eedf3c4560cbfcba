import { z } from 'zod';
import { json, type RouteArgs } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Route } from '../router.js';
import { graphUrl, mailboxFor } from '../routes/lookup.js';
import { send } from './deliver.js';
import { requestedPageSize } from './delta-paging.js';
import {
  findFolder,
  findMessage,
  type MailState,
  mailOf,
  messagesIn,
  moveMessage,
  updateMessage,
} from './mail-store.js';
import {
  messageView,
  parseMessageSelect,
  preferenceApplied,
  wantsImmutableIds,
  wantsTextBody,
} from './message-view.js';

/**
 * Messages and the user: `GET /users/{id}` (with proxyAddresses), "Get message", "List
 * messages" of a folder, "Update message", "message: move" (201 with the moved message, which
 * has a new id unless immutable ids are asked for), "Delete message" (204: to the Recoverable
 * Items Deletions folder, out of every visible folder) and "user: sendMail" (202).
 */

function resolve(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  return { mailbox, state: mailOf(mailbox) };
}

function messageOf(state: MailState, id: string) {
  const message = findMessage(state, id);
  if (!message || findFolder(state, 'recoverableitemsdeletions')?.id === message.folderId) throw notFound();
  return message;
}

const viewOf = (args: RouteArgs) => ({
  select: parseMessageSelect(args.req.query),
  immutable: wantsImmutableIds(args.req.headers),
  textBody: wantsTextBody(args.req.headers),
});

const USER_PROPERTIES = ['id', 'displayName', 'mail', 'userPrincipalName', 'proxyAddresses'];

function user(args: RouteArgs) {
  const { mailbox, state } = resolve(args);
  const all: Record<string, unknown> = {
    id: mailbox.id,
    displayName: mailbox.displayName,
    mail: mailbox.mail,
    userPrincipalName: mailbox.mail,
    proxyAddresses: state.proxyAddresses,
  };
  const raw = args.req.query.get('$select');
  const names = raw
    ? raw.split(',').map((s) => s.trim())
    : USER_PROPERTIES.filter((p) => p !== 'proxyAddresses');
  for (const name of names) {
    if (!USER_PROPERTIES.includes(name)) {
      throw badRequest(
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'Microsoft.DirectoryServices.User'.`,
      );
    }
  }
  // Like Entra, proxyAddresses only when selected ("user resource type": returned only on $select).
  return json(200, {
    '@odata.context': `${args.env.origin}/v1.0/$metadata#users/$entity`,
    ...Object.fromEntries(names.map((n) => [n, all[n]])),
  });
}

function listInFolder(args: RouteArgs) {
  const { state } = resolve(args);
  const folder = findFolder(state, args.params['f'] ?? '');
  if (!folder) throw notFound();
  const { req, env } = args;
  const top = requestedPageSize({}, req.query) ?? 10;
  const skip = Number(req.query.get('$skip') ?? '0') || 0;
  const view = viewOf(args);
  const messages = messagesIn(state, folder.id).sort((a, b) =>
    String(b.props['receivedDateTime']).localeCompare(String(a.props['receivedDateTime'])),
  );
  const body: Record<string, unknown> = {
    '@odata.context': `${env.origin}/v1.0/$metadata#users('${encodeURIComponent(args.params['m'] ?? '')}')/mailFolders('${folder.id}')/messages`,
    value: messages.slice(skip, skip + top).map((m) => messageView(m, view)),
  };
  if (skip + top < messages.length) {
    const next = new URLSearchParams(req.query);
    next.set('$top', String(top));
    next.set('$skip', String(skip + top));
    body['@odata.nextLink'] = graphUrl(env, req.path, next);
  }
  return json(200, body, preferenceApplied(req.headers));
}

/** What "Update message" may change on a received or sent message (the rest only on drafts). */
const patchSchema = z
  .object({
    isRead: z.boolean(),
    categories: z.array(z.string()),
    importance: z.enum(['low', 'normal', 'high']),
    inferenceClassification: z.enum(['focused', 'other']),
    flag: z.object({ flagStatus: z.enum(['notFlagged', 'complete', 'flagged']) }).passthrough(),
  })
  .partial()
  .strict();

function patch(args: RouteArgs) {
  const { state } = resolve(args);
  const message = messageOf(state, args.params['id'] ?? '');
  const parsed = patchSchema.safeParse(args.req.body ?? {});
  if (!parsed.success) {
    throw badRequest(
      'ErrorInvalidPropertyUpdateSentMessage',
      'Update operation is invalid for property of a sent message.',
    );
  }
  updateMessage(state, message, parsed.data, args.env.now());
  return json(200, messageView(message, viewOf(args)));
}

function move(args: RouteArgs) {
  const { state } = resolve(args);
  const message = messageOf(state, args.params['id'] ?? '');
  const destinationId = (args.req.body as { destinationId?: unknown } | undefined)?.destinationId;
  if (typeof destinationId !== 'string' || destinationId === '') {
    throw badRequest('ErrorInvalidRequest', 'The destinationId parameter is required.');
  }
  const destination = findFolder(state, destinationId);
  if (!destination) throw notFound();
  moveMessage(state, message, destination.id, args.env.now());
  return json(201, messageView(message, viewOf(args)));
}

function remove(args: RouteArgs) {
  const { state } = resolve(args);
  const message = messageOf(state, args.params['id'] ?? '');
  moveMessage(state, message, findFolder(state, 'recoverableitemsdeletions')!.id, args.env.now());
  return { status: 204 };
}

const recipient = z.object({
  emailAddress: z.object({ address: z.string().min(3), name: z.string().nullable().optional() }),
});
const sendSchema = z.object({
  message: z
    .object({
      subject: z.string().default(''),
      body: z
        .object({ contentType: z.string().regex(/^(text|html)$/i), content: z.string() })
        .default({ contentType: 'Text', content: '' }),
      toRecipients: z.array(recipient).default([]),
      ccRecipients: z.array(recipient).default([]),
      bccRecipients: z.array(recipient).default([]),
      replyTo: z.array(recipient).default([]),
      categories: z.array(z.string()).default([]),
      importance: z.enum(['low', 'normal', 'high']).default('normal'),
      internetMessageHeaders: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
    })
    .passthrough(),
  // The page's own example sends "false" as a string.
  saveToSentItems: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});

const attachmentCount = (message: Record<string, unknown>) =>
  Array.isArray(message['attachments']) ? message['attachments'].length : 0;

/** fileAttachment's name, contentType and the decoded size of contentBytes ("Add attachment"). */
function attachmentMetadata(message: Record<string, unknown>) {
  const list = Array.isArray(message['attachments'])
    ? (message['attachments'] as Record<string, unknown>[])
    : [];
  return list.map((a) => ({
    name: typeof a['name'] === 'string' ? a['name'] : 'attachment',
    contentType: typeof a['contentType'] === 'string' ? a['contentType'] : 'application/octet-stream',
    size: typeof a['contentBytes'] === 'string' ? Buffer.from(a['contentBytes'], 'base64').length : 0,
  }));
}

function sendMail(args: RouteArgs) {
  const { mailbox } = resolve(args);
  const parsed = sendSchema.safeParse(args.req.body);
  if (!parsed.success)
    throw badRequest('ErrorInvalidRequest', 'The request body is not a valid sendMail request.');
  const { message, saveToSentItems } = parsed.data;
  if (message.toRecipients.length + message.ccRecipients.length + message.bccRecipients.length === 0) {
    throw badRequest('ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  }
  const custom = message.internetMessageHeaders.find((h) => !/^x-/i.test(h.name));
  if (custom) {
    throw badRequest(
      'InvalidInternetMessageHeader',
      `The internet message header name '${custom.name}' should start with 'x-' or 'X-'.`,
    );
  }
  const now = args.env.now().toISOString();
  send(
    args.env.store,
    mailbox,
    {
      ...message,
      from: { emailAddress: { address: mailbox.mail, name: mailbox.displayName } },
      hasAttachments: attachmentCount(message) > 0,
      attachments: attachmentMetadata(message),
      sentDateTime: now,
      receivedDateTime: now,
    },
    saveToSentItems !== false && saveToSentItems !== 'false',
    args.env.now(),
  );
  return { status: 202 };
}

export const messageRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}', handler: user },
  { method: 'POST', template: '/users/{m}/sendMail', handler: sendMail },
  { method: 'GET', template: '/users/{m}/mailFolders/{f}/messages', handler: listInFolder },
  {
    method: 'GET',
    template: '/users/{m}/messages/{id}',
    handler: (a) =>
      json(
        200,
        messageView(messageOf(resolve(a).state, a.params['id'] ?? ''), viewOf(a)),
        preferenceApplied(a.req.headers),
      ),
  },
  { method: 'PATCH', template: '/users/{m}/messages/{id}', handler: patch },
  { method: 'POST', template: '/users/{m}/messages/{id}/move', handler: move },
  { method: 'DELETE', template: '/users/{m}/messages/{id}', handler: remove },
];
