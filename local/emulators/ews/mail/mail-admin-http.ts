import type { AdminAnswer } from '../admin-http.js';
import type { EwsMailAdmin, IncomingMail, OutgoingMail } from './mail-admin.js';

/**
 * The mail part of the admin API over HTTP (`/_emulator/mailboxes/{smtp}/…`):
 *   POST   messages/receive        mail from outside (IncomingMail; `folder` default inbox) → 201 {id, internetMessageId}
 *   POST   sendmail                mail sent from Outlook (OutgoingMail) → 201 {sent, delivered}
 *   GET    messages                every message of the mailbox with its folder
 *   PATCH  messages/{id}           {categories?, isRead?}
 *   POST   messages/{id}/move      {folder} → 200 the message under its new id
 *   DELETE messages/{id}           {hard?}: into Deleted Items, or for good
 *   POST   mailfolders             {displayName, parent?} → 201 {id}
 *   PUT    profile                 {displayName?, aliases?}: the directory entry (proxy addresses)
 * Answers undefined for any other path, so the rest of the admin API answers it.
 */
export function handleMailAdmin(
  mail: EwsMailAdmin,
  method: string,
  path: string,
  input: Record<string, unknown>,
): AdminAnswer | undefined {
  const [resource, smtp = '', sub, id = '', action] = path
    .split('/')
    .filter(Boolean)
    .slice(1)
    .map(decodeURIComponent);
  if (resource !== 'mailboxes') return undefined;
  try {
    if (method === 'POST' && sub === 'messages' && id === 'receive') {
      const item = mail.receive(smtp, input as IncomingMail);
      return { status: 201, json: { id: item.id, internetMessageId: item.data.internetMessageId } };
    }
    if (method === 'POST' && sub === 'sendmail') {
      const { sent, delivered } = mail.send(smtp, input as OutgoingMail);
      return {
        status: 201,
        json: {
          sent: { id: sent.id, internetMessageId: sent.data.internetMessageId },
          delivered: delivered.map((d) => ({ smtp: d.smtp, id: d.item.id })),
        },
      };
    }
    if (method === 'GET' && sub === 'messages' && id === '')
      return { status: 200, json: mail.messages(smtp) };
    if (method === 'PATCH' && sub === 'messages') {
      let item: unknown;
      if (Array.isArray(input['categories']))
        item = mail.categorize(smtp, id, input['categories'].map(String));
      if (typeof input['isRead'] === 'boolean') item = mail.markRead(smtp, id, input['isRead']);
      return { status: 200, json: item ?? {} };
    }
    if (method === 'POST' && sub === 'messages' && action === 'move')
      return { status: 200, json: mail.move(smtp, id, String(input['folder'] ?? '')) };
    if (method === 'DELETE' && sub === 'messages') {
      const moved = mail.delete(smtp, id, input['hard'] === true);
      return { status: 200, json: moved ?? { ok: true } };
    }
    if (method === 'POST' && sub === 'mailfolders') {
      const parent = typeof input['parent'] === 'string' ? input['parent'] : undefined;
      return {
        status: 201,
        json: { id: mail.addFolder(smtp, String(input['displayName'] ?? 'Folder'), parent) },
      };
    }
    if (method === 'PUT' && sub === 'profile') {
      mail.setProfile(smtp, input as { displayName?: string; aliases?: string[] });
      return { status: 200, json: { ok: true } };
    }
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const status = (error as { name?: string }).name === 'ZodError' ? 400 : 404;
    return { status, json: { error: { code: status === 400 ? 'invalid' : 'notFound', message } } };
  }
}
