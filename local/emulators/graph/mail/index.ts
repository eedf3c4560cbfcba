import type { Route } from '../router.js';
import { attachmentRoutes } from './attachment-routes.js';
import { mailFolderRoutes } from './folder-routes.js';
import { messageDeltaRoutes } from './message-delta.js';
import { messageRoutes } from './message-routes.js';

/**
 * The Graph emulator's mail model (issue 17, item 7): users with proxyAddresses, mail folders
 * and their delta, messages and their delta per folder, sendMail between the emulator's
 * mailboxes, and the admin route for mail from outside (mail-admin.ts). Throttling, auth and
 * the request log are the pipeline's (dispatch.ts), shared with contacts.
 */

// Literal segments (`delta`, `messages/delta`) before `{id}` parameters.
export const mailRoutes: Route[] = [
  ...messageDeltaRoutes,
  ...mailFolderRoutes,
  ...attachmentRoutes,
  ...messageRoutes,
];

export { mailAdminRoute } from './mail-admin.js';
