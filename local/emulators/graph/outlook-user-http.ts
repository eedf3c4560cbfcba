import { AdminError } from './admin-error.js';
import type { EmuResponse } from './context.js';
import type { OutlookUserAdmin } from './types.js';

/**
 * `/_emulator/users/{user}/…`: what an Outlook user does, over HTTP (segments after `_emulator`):
 *   POST   users/{u}/contacts                  create (birthday as a date: local midnight)
 *   PATCH  users/{u}/contacts/{id}             edit, the same way
 *   POST   users/{u}/contacts/{id}/move        {"destinationId": folder id | contacts | deleteditems}
 *   DELETE users/{u}/contacts/{id}             to Deleted Items (purged if already there)
 *   DELETE users/{u}/contactFolders/{id}       the folder with its contacts
 *   GET    users/{u}/deletedItems              the contacts in Deleted Items
 */
export function outlookUserRoute(
  outlook: OutlookUserAdmin,
  method: string,
  segments: string[],
  body: unknown,
): EmuResponse {
  const [, user = '', collection = '', id, action] = segments;
  const route = `${method} ${[collection, id === undefined ? '' : '{id}', action ?? ''].filter(Boolean).join('/')}`;
  switch (route) {
    case 'POST contacts':
      return { status: 201, json: outlook.createContact(user, body) };
    case 'PATCH contacts/{id}':
      return { status: 200, json: outlook.updateContact(user, id ?? '', body) };
    case 'POST contacts/{id}/move': {
      const destinationId = (body as { destinationId?: unknown } | undefined)?.destinationId;
      if (typeof destinationId !== 'string' || destinationId === '') {
        throw new AdminError(400, 'destinationId (a folder id or a well-known name) is required');
      }
      return { status: 200, json: outlook.moveContact(user, id ?? '', destinationId) };
    }
    case 'DELETE contacts/{id}':
      outlook.deleteContact(user, id ?? '');
      return { status: 204 };
    case 'DELETE contactFolders/{id}':
      outlook.deleteFolder(user, id ?? '');
      return { status: 204 };
    case 'GET deletedItems':
      return { status: 200, json: { value: outlook.deletedItems(user) } };
    default:
      return {
        status: 404,
        json: { error: `unknown admin route ${method} /_emulator/${segments.join('/')}` },
      };
  }
}
