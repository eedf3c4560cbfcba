/** Graph paths of the mail sync (graph-paths.ts holds the contacts'); every id URI-encoded. */
const seg = encodeURIComponent;

export const mailPaths = {
  user: (m: string) => `/users/${seg(m)}`,
  folder: (m: string, f: string) => `/users/${seg(m)}/mailFolders/${seg(f)}`,
  folderDelta: (m: string) => `/users/${seg(m)}/mailFolders/delta`,
  messageDelta: (m: string, f: string) => `/users/${seg(m)}/mailFolders/${seg(f)}/messages/delta`,
  message: (m: string, id: string) => `/users/${seg(m)}/messages/${seg(id)}`,
  attachments: (m: string, id: string) => `/users/${seg(m)}/messages/${seg(id)}/attachments`,
};

/**
 * What the mail rules read of a message (shared/mail/message.ts), and nothing more: the body
 * is fetched in a second step, only for linked mail. `internetMessageHeaders` is "returned
 * only on applying a $select query option" (message resource) and carries the bulk markers.
 */
export const MESSAGE_SELECT = [
  'internetMessageId',
  'conversationId',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'subject',
  'sentDateTime',
  'receivedDateTime',
  'bodyPreview',
  'hasAttachments',
  'categories',
  'isDraft',
  'internetMessageHeaders',
  'parentFolderId',
] as const;
