/** Default table names; infra/ creates exactly these (keep the two in step). */
export const TABLE_NAMES = {
  links: 'links',
  accounts: 'accounts',
  actionLog: 'actionlog',
  leases: 'leases',
  webSessions: 'websessions',
  audit: 'audit',
  mail: 'mail',
  /** A tenant's settings (its mail blocklist): table-tenant-settings.ts. */
  tenants: 'tenants',
} as const;

export type TableRole = keyof typeof TABLE_NAMES;
