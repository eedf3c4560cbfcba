import { z } from 'zod';
import type { EmuResponse } from '../context.js';
import type { GraphStore } from '../store.js';
import { receive } from './deliver.js';
import { findFolder, mailOf, type StoredMessage } from './mail-store.js';
import { messageView } from './message-view.js';

/**
 * The mail part of the admin API, for what only the outside world or a tenant admin does:
 *   POST /_emulator/users/{u}/messages/receive   mail from outside: one message, or {"messages": [...]}
 *   PUT  /_emulator/users/{u}/proxyAddresses      {"proxyAddresses": ["SMTP:primary@x", "smtp:alias@y"]}
 *   GET  /_emulator/users/{u}/messages            every message of the mailbox, with folder and both ids
 * Returns undefined for any other path, so the rest of the admin API answers it.
 */

const recipient = z.object({
  emailAddress: z.object({ address: z.string().min(3), name: z.string().nullable().optional() }),
});

const incomingSchema = z
  .object({
    from: recipient,
    toRecipients: z.array(recipient).optional(),
    ccRecipients: z.array(recipient).default([]),
    bccRecipients: z.array(recipient).default([]),
    replyTo: z.array(recipient).default([]),
    subject: z.string().default(''),
    body: z
      .object({ contentType: z.string().regex(/^(text|html)$/i), content: z.string() })
      .default({ contentType: 'text', content: '' }),
    internetMessageId: z.string().min(1).optional(),
    conversationId: z.string().min(1).optional(),
    internetMessageHeaders: z.array(z.object({ name: z.string().min(1), value: z.string() })).default([]),
    categories: z.array(z.string()).default([]),
    importance: z.enum(['low', 'normal', 'high']).default('normal'),
    hasAttachments: z.boolean().default(false),
    /** Attachment metadata only (GET …/messages/{id}/attachments lists it). */
    attachments: z
      .array(
        z
          .object({
            name: z.string().min(1),
            contentType: z.string().min(1),
            size: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .default([]),
    isRead: z.boolean().default(false),
    sentDateTime: z.iso.datetime({ offset: true }).optional(),
    receivedDateTime: z.iso.datetime({ offset: true }).optional(),
    /** e.g. `#microsoft.graph.eventMessageRequest` for a meeting request. */
    '@odata.type': z
      .string()
      .regex(/^#microsoft\.graph\.(message|eventMessage|eventMessageRequest|eventMessageResponse)$/)
      .optional(),
    /** Folder id or well-known name; Inbox by default. */
    folder: z.string().min(1).default('inbox'),
  })
  .strict();

const receiveSchema = z.union([
  incomingSchema,
  z.object({ messages: z.array(incomingSchema).min(1).max(10_000) }).strict(),
]);
const proxySchema = z
  .object({ proxyAddresses: z.array(z.string().regex(/^(smtp|SMTP|x500|X500|sip|SIP):.+/)).min(1) })
  .strict();

const failure = (status: number, error: string): EmuResponse => ({ status, json: { error } });

const adminView = (m: StoredMessage) => ({
  ...messageView(m, { immutable: false, textBody: false, select: undefined }),
  immutableId: m.immutableId,
  internetMessageHeaders: m.props['internetMessageHeaders'] ?? null,
});

export function mailAdminRoute(
  store: GraphStore,
  now: () => Date,
  method: string,
  path: string,
  body: unknown,
): EmuResponse | undefined {
  const [, users, user = '', ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (users !== 'users') return undefined;
  const route = `${method} ${rest.join('/')}`;
  if (!['POST messages/receive', 'PUT proxyAddresses', 'GET messages'].includes(route)) return undefined;
  const mailbox = store.find(user);
  if (!mailbox) return failure(404, `no mailbox '${user}'`);
  const state = mailOf(mailbox);
  if (route === 'GET messages')
    return { status: 200, json: { value: [...state.messages.values()].map(adminView) } };
  if (route === 'PUT proxyAddresses') {
    const parsed = proxySchema.safeParse(body);
    if (!parsed.success) return failure(400, `invalid proxyAddresses: ${parsed.error.message}`);
    state.proxyAddresses = parsed.data.proxyAddresses;
    return { status: 204 };
  }
  const parsed = receiveSchema.safeParse(body);
  if (!parsed.success) return failure(400, `invalid message: ${parsed.error.message}`);
  const incoming = 'messages' in parsed.data ? parsed.data.messages : [parsed.data];
  const unknownFolder = incoming.find((m) => !findFolder(state, m.folder));
  if (unknownFolder) return failure(404, `no mail folder '${unknownFolder.folder}'`);
  const at = now().toISOString();
  const received = incoming.map(({ folder, '@odata.type': odataType, toRecipients, ...m }) =>
    receive(
      mailbox,
      {
        ...m,
        odataType,
        toRecipients: toRecipients ?? [
          { emailAddress: { address: mailbox.mail, name: mailbox.displayName } },
        ],
        sentDateTime: m.sentDateTime ?? m.receivedDateTime ?? at,
        receivedDateTime: m.receivedDateTime ?? at,
      },
      folder,
      now(),
    ),
  );
  const ids = received.map((m) => ({
    id: m.id,
    immutableId: m.immutableId,
    internetMessageId: m.props['internetMessageId'],
  }));
  return { status: 201, json: 'messages' in parsed.data ? { value: ids } : ids[0] };
}
