import { z } from 'zod';

/**
 * What the mail sync takes from a mailbox, per account (issue 17, items 1 and 2). Every
 * rule is a setting with the default the issue names; the account status shows them.
 */

export const visibilitySchema = z.enum(['metadata', 'subject', 'full']);
export type Visibility = z.infer<typeof visibilitySchema>;

/** `name@domain` or `@domain` (the whole domain), stored lower-cased. */
const blockEntrySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^\s@]+)?@[^\s@]+\.[^\s@]+$/, 'a blocklist entry is an address or @domain');

export const mailSettingsSchema = z
  .object({
    /** Inbox and Sent Items, or every mail folder found with mailFolders/delta. */
    folders: z.enum(['inboxAndSent', 'all']).default('inboxAndSent'),
    /** First import: only mail received within this many days (applied locally on receivedDateTime). */
    windowDays: z.number().int().min(1).max(3650).default(90),
    /** Mail where every participant is on one of the owner's domains stays out. */
    excludeInternal: z.boolean().default(true),
    /** Mail from no-reply and role addresses (noreply@, mailer-daemon@, newsletter@ …) stays out. */
    excludeNoReply: z.boolean().default(true),
    /** Bulk mail (List-Unsubscribe, List-Id, Precedence: bulk|list|junk, Auto-Submitted) stays out. */
    excludeBulk: z.boolean().default(true),
    /** Meeting requests, responses and cancellations stay out. */
    excludeCalendar: z.boolean().default(true),
    /** Mail carrying this Outlook category stays out; null turns the rule off. */
    privateCategory: z.string().trim().min(1).nullable().default('Privat'),
    /** This account's blocklist; the tenant's comes on top (see `blocklistOf`). */
    blocklist: z.array(blockEntrySchema).default([]),
    /** Extra domains counted as internal besides the owner's own (proxyAddresses). */
    internalDomains: z.array(z.string().trim().toLowerCase().min(1)).default([]),
    visibility: visibilitySchema.default('full'),
  })
  .strict();

export type MailSettings = z.infer<typeof mailSettingsSchema>;

export const DEFAULT_MAIL_SETTINGS: MailSettings = mailSettingsSchema.parse({});

export const tenantMailSettingsSchema = z
  .object({ blocklist: z.array(blockEntrySchema).default([]) })
  .strict();
export type TenantMailSettings = z.infer<typeof tenantMailSettingsSchema>;

/** The account's and the tenant's blocklists, as one set. */
export function blocklistOf(account: MailSettings, tenant: TenantMailSettings): Set<string> {
  return new Set([...account.blocklist, ...tenant.blocklist]);
}
