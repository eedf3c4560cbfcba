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
  .max(320)
  .regex(/^([^\s@]+)?@[^\s@]+\.[^\s@]+$/, 'a blocklist entry is an address or @domain');

/** Bounds that keep the settings small inside the account row (Table Storage's 64 KiB property). */
export const MAX_BLOCKLIST_ENTRIES = 200;
const blocklistSchema = z.array(blockEntrySchema).max(MAX_BLOCKLIST_ENTRIES);
const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[^\s@]+\.[^\s@]+$/, 'a domain such as example.com');

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
    privateCategory: z.string().trim().min(1).max(255).nullable().default('Privat'),
    /** This account's blocklist; the tenant's comes on top (see `blocklistOf`). */
    blocklist: blocklistSchema.default([]),
    /** Extra domains counted as internal besides the owner's own (proxyAddresses). */
    internalDomains: z.array(domainSchema).max(50).default([]),
    visibility: visibilitySchema.default('full'),
  })
  .strict();

export type MailSettings = z.infer<typeof mailSettingsSchema>;

export const DEFAULT_MAIL_SETTINGS: MailSettings = mailSettingsSchema.parse({});

export const tenantMailSettingsSchema = z.object({ blocklist: blocklistSchema.default([]) }).strict();
export type TenantMailSettings = z.infer<typeof tenantMailSettingsSchema>;

/** The account's and the tenant's blocklists, as one set. */
export function blocklistOf(account: MailSettings, tenant: TenantMailSettings): Set<string> {
  return new Set([...account.blocklist, ...tenant.blocklist]);
}

/**
 * A change to an account's settings (`PATCH /api/accounts/{id}/mail-settings`): any of the
 * fields, each replacing the stored value whole (a blocklist is sent complete); unknown
 * fields are refused. An empty body changes nothing.
 */
export const mailSettingsPatchSchema = z
  .object({
    folders: z.enum(['inboxAndSent', 'all']),
    windowDays: z.number().int().min(1).max(3650),
    excludeInternal: z.boolean(),
    excludeNoReply: z.boolean(),
    excludeBulk: z.boolean(),
    excludeCalendar: z.boolean(),
    privateCategory: z.string().trim().min(1).max(255).nullable(),
    blocklist: blocklistSchema,
    internalDomains: z.array(domainSchema).max(50),
    visibility: visibilitySchema,
  })
  .partial()
  .strict();
export type MailSettingsPatch = z.infer<typeof mailSettingsPatchSchema>;

export const tenantMailSettingsPatchSchema = z.object({ blocklist: blocklistSchema }).partial().strict();
export type TenantMailSettingsPatch = z.infer<typeof tenantMailSettingsPatchSchema>;

/** The account's settings with every default filled in (what the account stores may be partial). */
export function effectiveMailSettings(stored: Partial<MailSettings> | null | undefined): MailSettings {
  const parsed = mailSettingsSchema.safeParse(stored ?? {});
  // A row written before a field's bounds existed still syncs: the defaults stand in for it.
  return parsed.success ? parsed.data : DEFAULT_MAIL_SETTINGS;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The settings after a patch, with duplicate list entries dropped. */
export function applyMailSettingsPatch(current: MailSettings, patch: MailSettingsPatch): MailSettings {
  const next: MailSettings = { ...current, ...patch };
  return { ...next, blocklist: unique(next.blocklist), internalDomains: unique(next.internalDomains) };
}

export function applyTenantMailSettingsPatch(
  current: TenantMailSettings,
  patch: TenantMailSettingsPatch,
): TenantMailSettings {
  return { blocklist: unique(patch.blocklist ?? current.blocklist) };
}

/** Which fields a patch really changed (for the audit entry and what the next round must do). */
export function changedFields<T extends object>(before: T, after: T): (keyof T & string)[] {
  return (Object.keys(after) as (keyof T & string)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

/**
 * Whether a change needs a full mail round at once (README "Mail settings"): the folder
 * choice (a full round rediscovers the folders: an added one gets its first import under the
 * window, a dropped one is no longer read, and what it brought stays in the CRM) and the
 * window (a full round compares the mailbox's window with what is linked and brings in what
 * a wider window now takes; a narrower one removes nothing from the CRM). Exclusions,
 * blocklists and visibility apply to the mail processed from the next round on and never
 * remove an e-mail already in the CRM.
 */
export function needsFullRound(before: MailSettings, after: MailSettings): boolean {
  return after.folders !== before.folders || after.windowDays !== before.windowDays;
}
