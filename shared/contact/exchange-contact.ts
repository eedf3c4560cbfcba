import type { Contact as GraphContact } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';

/**
 * The Exchange side. `ExchangeFields` is the part of a Graph `contact` the sync maps:
 * the "window" inside which Exchange and the CRM are kept equal. Everything else on the
 * Graph contact (personalNotes, categories, imAddresses, …) is never read into the CRM and
 * never overwritten, because every write is a PATCH of exactly these fields.
 */

export const physicalAddressSchema = z.object({
  street: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  postalCode: z.string().nullable().optional(),
  countryOrRegion: z.string().nullable().optional(),
});
export type PhysicalAddress = z.infer<typeof physicalAddressSchema>;

export interface ExchangeFields {
  title: string | null;
  givenName: string | null;
  middleName: string | null;
  surname: string | null;
  companyName: string | null;
  jobTitle: string | null;
  department: string | null;
  /**
   * `YYYY-MM-DD`, a calendar date. Graph carries an instant (Outlook: local midnight of the
   * mailbox's time zone, in UTC); the Graph adapter turns it into the date of that zone and back
   * (shared/adapters/graph/birthday.ts), so the contacts the port returns hold the date.
   */
  birthday: string | null;
  /**
   * Addresses only, at most 3 (Exchange rejects a 4th with 400). Graph's display `name` of an
   * address is not synced; the Graph body builder sets it to the address.
   */
  emailAddresses: string[];
  /** Canonical (E.164, an extension as ` x12`, phone.ts) or, when held, as typed; at most 2 each. */
  businessPhones: string[];
  homePhones: string[];
  mobilePhone: string | null;
  businessHomePage: string | null;
  businessAddress: PhysicalAddress | null;
  homeAddress: PhysicalAddress | null;
  otherAddress: PhysicalAddress | null;
}

export const EXCHANGE_FIELD_NAMES = [
  'title',
  'givenName',
  'middleName',
  'surname',
  'companyName',
  'jobTitle',
  'department',
  'birthday',
  'emailAddresses',
  'businessPhones',
  'homePhones',
  'mobilePhone',
  'businessHomePage',
  'businessAddress',
  'homeAddress',
  'otherAddress',
] as const satisfies readonly (keyof ExchangeFields)[];

/** The `$select` the adapter asks Graph for: the window plus what the sync needs to track items. */
export const GRAPH_CONTACT_SELECT = [
  'id',
  'changeKey',
  'lastModifiedDateTime',
  'parentFolderId',
  'displayName',
  ...EXCHANGE_FIELD_NAMES,
] as const;

/** A Graph contact as read from Graph, validated at the edge (unknown properties pass through). */
export const graphContactSchema = z
  .object({
    id: z.string().min(1),
    changeKey: z.string().nullable().optional(),
    lastModifiedDateTime: z.string().nullable().optional(),
    parentFolderId: z.string().nullable().optional(),
    displayName: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
    givenName: z.string().nullable().optional(),
    middleName: z.string().nullable().optional(),
    surname: z.string().nullable().optional(),
    companyName: z.string().nullable().optional(),
    jobTitle: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
    birthday: z.string().nullable().optional(),
    emailAddresses: z
      .array(z.object({ address: z.string().nullable().optional(), name: z.string().nullable().optional() }))
      .nullable()
      .optional(),
    businessPhones: z.array(z.string()).nullable().optional(),
    homePhones: z.array(z.string()).nullable().optional(),
    mobilePhone: z.string().nullable().optional(),
    businessHomePage: z.string().nullable().optional(),
    businessAddress: physicalAddressSchema.nullable().optional(),
    homeAddress: physicalAddressSchema.nullable().optional(),
    otherAddress: physicalAddressSchema.nullable().optional(),
    singleValueExtendedProperties: z
      .array(z.object({ id: z.string(), value: z.string().nullable() }))
      .optional(),
  })
  .loose();

export type ExchangeContact = z.infer<typeof graphContactSchema> & { id: string };

export type { GraphContact };
