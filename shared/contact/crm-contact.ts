import { z } from 'zod';

/**
 * The CRM contact, exactly as the CRM API serves it (DESIGN section 7).
 * Validated once, at the edge, by the CRM adapter and the CRM emulator.
 */

export const crmEmailTypeSchema = z.enum(['business', 'private']).nullable();
export const crmPhoneTypeSchema = z.enum(['business', 'private', 'mobile', 'fax']).nullable();
export const crmWebsiteTypeSchema = z.enum(['business', 'private']).nullable();
export const crmAddressTypeSchema = z.enum(['business', 'private', 'other']);

export const crmEmailSchema = z.object({ address: z.string(), type: crmEmailTypeSchema }).strict();
export const crmPhoneSchema = z.object({ number: z.string(), type: crmPhoneTypeSchema }).strict();
export const crmWebsiteSchema = z.object({ url: z.string(), type: crmWebsiteTypeSchema }).strict();
export const crmAddressSchema = z
  .object({
    type: crmAddressTypeSchema,
    street: z.string().nullable().optional(),
    postalCode: z.string().nullable().optional(),
    city: z.string().nullable().optional(),
    country: z.string().nullable().optional(),
  })
  .strict();

const nullableText = z.string().nullable();

/** The fields a client may write (POST body, or a PATCH body with every field optional). */
export const crmContactInputSchema = z
  .object({
    salutation: nullableText.default(null),
    title: nullableText.default(null),
    firstName: nullableText.default(null),
    middleName: nullableText.default(null),
    lastName: nullableText.default(null),
    company: nullableText.default(null),
    position: nullableText.default(null),
    department: nullableText.default(null),
    birthday: z.iso.date().nullable().default(null),
    emails: z.array(crmEmailSchema).default([]),
    phones: z.array(crmPhoneSchema).default([]),
    websites: z.array(crmWebsiteSchema).default([]),
    addresses: z.array(crmAddressSchema).default([]),
    notes: nullableText.default(null),
    syncAccounts: z.array(z.string()).default([]),
  })
  .strict();

export const crmContactSchema = crmContactInputSchema.extend({
  id: z.string().min(1),
  version: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});

export type CrmEmail = z.infer<typeof crmEmailSchema>;
export type CrmPhone = z.infer<typeof crmPhoneSchema>;
export type CrmWebsite = z.infer<typeof crmWebsiteSchema>;
export type CrmAddress = z.infer<typeof crmAddressSchema>;
export type CrmContactInput = z.infer<typeof crmContactInputSchema>;
export type CrmContact = z.infer<typeof crmContactSchema>;

/** The content of a CRM contact without its server-managed fields. */
export function crmContent(contact: CrmContact): CrmContactInput {
  const { id: _id, version: _version, createdAt: _c, updatedAt: _u, ...content } = contact;
  return content;
}

/** A CRM contact event as the CRM POSTs it to the webhook (DESIGN section 7). */
export const crmEventSchema = z
  .object({
    eventId: z.string().min(1).max(200),
    type: z.enum(['contact.created', 'contact.updated', 'contact.deleted']),
    contactId: z.string().min(1).max(200),
    version: z.number().int().nonnegative(),
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CrmEvent = z.infer<typeof crmEventSchema>;
