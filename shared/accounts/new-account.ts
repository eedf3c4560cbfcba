import { X509Certificate } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { type Account, providerSchema } from './account.js';
import { bannerFor, type MigrationInstants, migrationState } from './migration-policy.js';

/** The request bodies of the accounts API (DESIGN section 8), validated once at the edge. */

/** A DNS name such as contoso.onmicrosoft.com: labels of letters, digits and inner hyphens. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** An Entra tenant is named by its GUID or by one of its verified domains. */
export const tenantIdSchema = z.union([z.guid(), z.string().regex(DOMAIN, 'a tenant GUID or a domain')]);

/** The country national phone numbers are read in; it must be one libphonenumber-js knows. */
export const countrySchema = z
  .string()
  .length(2)
  .toUpperCase()
  .refine((code) => isSupportedCountry(code), 'an ISO 3166 alpha-2 country code with phone metadata');

/** An Exchange host as a person types it: a host name, optionally with a port, or an https URL. */
const exchangeHostSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine(
    (host) => /^https:\/\/\S+$/i.test(host) || /^[^\s/:]+(:\d{1,5})?$/.test(host),
    'a host name or URL',
  );

/**
 * The Exchange login: `DOMAIN\user`, a UPN (`user@domain`), or a bare user name (NTLM then
 * sends no domain and the server uses its own).
 */
const exchangeUsernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .refine(
    (name) => /^[^\s\\@]+\\[^\s\\@]+$/.test(name) || /^[^\s\\@]+(@[^\s\\@]+)?$/.test(name),
    'DOMAIN\\user or a user principal name',
  );

/** The password goes to the SecretStore only; never echoed, logged or stored in a table. */
const exchangePasswordSchema = z.string().min(1).max(1024);

/**
 * PEM of the Exchange server's internal CA: one or more certificates Node can read (a CA
 * certificate is 1-2 KB; the accounts routes take at most 16 KiB bodies).
 */
export const caPemSchema = z
  .string()
  .trim()
  .max(12_000)
  .refine((pem) => {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!blocks) return false;
    try {
      for (const block of blocks) new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  }, 'PEM certificates (-----BEGIN CERTIFICATE-----)')
  // A browser's textarea sends CRLF line ends; the stored PEM has LF.
  .transform((pem) => pem.replace(/\r\n?/g, '\n'));

/** What connecting an on-premises account takes (register: `onPremises`; migrate: the body). */
export const onPremisesFormSchema = z
  .object({
    host: exchangeHostSchema,
    username: exchangeUsernameSchema,
    password: exchangePasswordSchema,
    caPem: caPemSchema.nullable().optional(),
  })
  .strict();
export type OnPremisesFormInput = z.infer<typeof onPremisesFormSchema>;

export const registerAccountSchema = z
  .object({
    email: z.email().max(320),
    userId: z.string().trim().min(1).max(320).optional(),
    tenantId: tenantIdSchema.optional(),
    provider: providerSchema.optional(),
    syncVersion: z.enum(['v2', 'v3']),
    defaultCountry: countrySchema.optional(),
    targetFolderId: z.string().min(1).max(1024).nullable().optional(),
    exchangeDeleteAction: z.enum(['unlink', 'delete']).optional(),
    /** An on-premises mailbox: connected (and tested) before the account is stored. */
    onPremises: onPremisesFormSchema.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.onPremises && body.provider !== undefined && body.provider !== 'onPremises')
      ctx.addIssue({ code: 'custom', path: ['onPremises'], message: 'onPremises needs provider onPremises' });
    if (body.onPremises && body.syncVersion !== 'v3')
      ctx.addIssue({
        code: 'custom',
        path: ['syncVersion'],
        message: 'an on-premises account syncs with V3',
      });
    if (body.provider === 'onPremises' && !body.onPremises)
      ctx.addIssue({
        code: 'custom',
        path: ['onPremises'],
        message: 'provider onPremises needs onPremises (host, username, password)',
      });
  });
export type RegisterAccountInput = z.infer<typeof registerAccountSchema>;

export interface NewAccountContext {
  id: string;
  now: Date;
  instants: MigrationInstants;
}

/**
 * A fresh account row. The provider is what the caller knows; a V3 account without one is a
 * Graph (Microsoft 365) mailbox, since V3 sync is Graph, and a V2 account's is found at migration.
 */
export function newAccount(input: RegisterAccountInput, context: NewAccountContext): Account {
  const { id, now, instants } = context;
  const state = migrationState(input.syncVersion, now, instants);
  const at = now.toISOString();
  return {
    id,
    email: input.email,
    userId: input.userId ?? input.email,
    tenantId: input.tenantId ?? null,
    provider: input.provider ?? (input.syncVersion === 'v3' ? 'microsoft365' : 'unknown'),
    syncVersion: input.syncVersion,
    defaultCountry: input.defaultCountry ?? 'DE',
    targetFolderId: input.targetFolderId ?? null,
    exchangeDeleteAction: input.exchangeDeleteAction ?? 'unlink',
    deltaLinks: {},
    crmCursor: null,
    subscription: null,
    migration: {
      state,
      banner: bannerFor(state, { accountId: id, email: input.email, instants }),
      history: [{ at, from: null, to: state }],
    },
    pendingCreates: [],
    status: {
      lastSyncAt: null,
      lastDeltaStartedAt: null,
      lastError: null,
      heldDeletes: 0,
      heldDeletesConfirmed: false,
      warnings: 0,
    },
    createdAt: at,
  };
}

export const migrateBodySchema = z
  .object({
    provider: z.enum(['microsoft365', 'onPremises']).optional(),
    host: exchangeHostSchema.optional(),
    username: exchangeUsernameSchema.optional(),
    password: exchangePasswordSchema.optional(),
    caPem: caPemSchema.nullable().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.provider === 'onPremises') {
      for (const key of ['host', 'username', 'password'] as const) {
        if (body[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for onPremises` });
        }
      }
    } else {
      for (const key of ['host', 'username', 'password', 'caPem'] as const) {
        if (body[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} is only allowed for onPremises` });
        }
      }
    }
  });
export type MigrateBody = z.infer<typeof migrateBodySchema>;
