import type { CrmMail, CrmMailInput } from './crm-mail.js';

/**
 * The CRM's e-mails (issue 17, item 3), beside `CrmContacts` in shared/ports.ts. Every method
 * succeeds or throws a SyncError (shared/errors.ts).
 */

export interface CrmMailPage {
  items: CrmMail[];
  nextPageToken?: string;
}

export interface CrmEmails {
  /** Creates or replaces the e-mail under `key` (emailKey of tenant and internetMessageId). */
  upsert(key: string, mail: CrmMailInput): Promise<{ mail: CrmMail; created: boolean }>;
  get(key: string): Promise<CrmMail | null>;
  /** The contact's e-mails, newest first; a contact the CRM does not have throws `notFound`. */
  listForContact(contactId: string, options?: { pageToken?: string; limit?: number }): Promise<CrmMailPage>;
}
