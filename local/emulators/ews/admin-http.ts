import type { ContactInput, CreateMailboxInput, EwsAdmin, Fault } from './admin.js';

/**
 * The admin API over HTTP, `/_emulator/…`, for people and scripts (tests use `EwsAdmin`
 * directly): reset, mailboxes, the Outlook user's edits, faults, sync-state expiry, the log.
 */
export interface AdminAnswer {
  status: number;
  json: unknown;
}

export function handleAdmin(
  admin: EwsAdmin,
  method: string,
  path: string,
  input: Record<string, unknown>,
): AdminAnswer {
  const parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [resource, smtp = '', sub, id = '', action] = parts;
  try {
    if (method === 'POST' && resource === 'reset') {
      admin.reset();
      return { status: 200, json: { ok: true } };
    }
    if (method === 'GET' && resource === 'requests') return { status: 200, json: admin.requests() };
    if (method === 'POST' && resource === 'faults') {
      admin.addFault(input as unknown as Fault);
      return { status: 201, json: { ok: true } };
    }
    if (resource !== 'mailboxes') return notFound(method, path);
    if (method === 'POST' && parts.length === 1) {
      const m = admin.createMailbox(input as unknown as CreateMailboxInput);
      return { status: 201, json: { smtp: m.smtp, user: m.user, domain: m.domain } };
    }
    if (sub === 'contacts') return contacts(admin, method, smtp, id, action, input);
    if (method === 'POST' && sub === 'folders')
      return { status: 201, json: { id: admin.addFolder(smtp, String(input['displayName'] ?? 'Folder')) } };
    if (method === 'POST' && sub === 'expire-sync-states') {
      admin.expireSyncStates(smtp);
      return { status: 200, json: { ok: true } };
    }
    return notFound(method, path);
  } catch (error) {
    return { status: 404, json: { error: { code: 'notFound', message: (error as Error).message } } };
  }
}

function contacts(
  admin: EwsAdmin,
  method: string,
  smtp: string,
  id: string,
  action: string | undefined,
  input: Record<string, unknown>,
): AdminAnswer {
  const contact = input as ContactInput;
  if (method === 'GET') return { status: 200, json: admin.contacts(smtp) };
  if (method === 'POST' && id === '') {
    const folderId = typeof input['folderId'] === 'string' ? input['folderId'] : undefined;
    return { status: 201, json: admin.outlookCreate(smtp, contact, folderId) };
  }
  if (method === 'PATCH') return { status: 200, json: admin.outlookEdit(smtp, id, contact) };
  if (method === 'POST' && action === 'move')
    return { status: 200, json: admin.outlookMove(smtp, id, String(input['folderId'])) };
  if (method === 'DELETE') {
    admin.outlookDelete(smtp, id, input['hard'] === true);
    return { status: 200, json: { ok: true } };
  }
  return notFound(method, `contacts/${id}`);
}

function notFound(method: string, path: string): AdminAnswer {
  return { status: 404, json: { error: { code: 'notFound', message: `No admin route ${method} ${path}.` } } };
}
