import { z } from 'zod';
import { badRequest } from './errors.js';

/**
 * The writable properties of Graph's `contact` (v1.0 resource page) and the checks Exchange
 * applies to a create or PATCH body: unknown properties are rejected as OData does, read-only
 * ones are ignored, and the multi-value caps Exchange enforces answer 400.
 */
const str = z.string().nullable();
const strList = z.array(z.string());
const address = z
  .object({
    street: str.optional(),
    city: str.optional(),
    state: str.optional(),
    countryOrRegion: str.optional(),
    postalCode: str.optional(),
  })
  .strict()
  .nullable();

const writable = {
  assistantName: str,
  birthday: z
    .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
    .transform(toDateTimeOffset)
    .nullable(),
  businessAddress: address,
  businessHomePage: str,
  businessPhones: strList,
  categories: strList,
  children: strList,
  companyName: str,
  department: str,
  displayName: str,
  emailAddresses: z.array(z.object({ name: str.optional(), address: str.optional() }).strict()),
  fileAs: str,
  generation: str,
  givenName: str,
  homeAddress: address,
  homePhones: strList,
  imAddresses: strList,
  initials: str,
  jobTitle: str,
  manager: str,
  middleName: str,
  mobilePhone: str,
  nickName: str,
  officeLocation: str,
  otherAddress: address,
  personalNotes: str,
  profession: str,
  spouseName: str,
  surname: str,
  title: str,
  yomiCompanyName: str,
  yomiGivenName: str,
  yomiSurname: str,
} as const;

export const WRITABLE_CONTACT_PROPERTIES = Object.keys(writable);
export const READ_ONLY_CONTACT_PROPERTIES = [
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'parentFolderId',
];

const extendedProperty = z.object({ id: z.string().min(1), value: z.string() });

/** Exchange's caps on multi-value properties, with the names its error message uses. */
const CAPS = [
  { property: 'emailAddresses', exchangeName: 'EmailAddresses', max: 3 },
  { property: 'businessPhones', exchangeName: 'BusinessPhones', max: 2 },
  { property: 'homePhones', exchangeName: 'HomePhones', max: 2 },
] as const;

export interface ContactWrite {
  props: Record<string, unknown>;
  extended: { id: string; value: string }[];
}

export function parseContactWrite(body: unknown): ContactWrite {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(
      'RequestBodyRead',
      'The request body must be a JSON object of type microsoft.graph.contact.',
    );
  }
  const props: Record<string, unknown> = {};
  let extended: { id: string; value: string }[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.') || READ_ONLY_CONTACT_PROPERTIES.includes(key)) continue;
    if (key === 'singleValueExtendedProperties') {
      const parsed = z.array(extendedProperty).safeParse(value);
      if (!parsed.success) throw invalidValue(key);
      extended = parsed.data;
      continue;
    }
    const schema = (writable as Record<string, z.ZodType>)[key];
    if (!schema) {
      throw badRequest(
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.contact'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidValue(key);
    props[key] = key === 'emailAddresses' ? withNames(parsed.data) : parsed.data;
  }
  return { props, extended };
}

/** Checks the caps on the contact as it would be stored after the write. */
export function enforceExchangeCaps(merged: Record<string, unknown>): void {
  for (const cap of CAPS) {
    const value = merged[cap.property];
    if (Array.isArray(value) && value.length > cap.max) {
      throw badRequest(
        'ErrorInvalidArgument',
        `The multi value property ${cap.exchangeName} has ${value.length} entries, that exceeds the max allowed value of ${cap.max}`,
      );
    }
  }
}

/** Exchange stores an address without a display name under the address itself. */
function withNames(value: unknown): unknown {
  return (value as { name?: string | null; address?: string | null }[]).map((e) => ({
    name: e.name ?? e.address ?? null,
    address: e.address ?? null,
  }));
}

/**
 * Graph's `birthday` is an Edm.DateTimeOffset and is answered in UTC (`…T00:00:00Z`), but a
 * write may send a date only: Microsoft's own Update contact example sends
 * `"birthday": "1974-07-22"` (its response shows the date only too, which is the page's error:
 * the property's type is DateTimeOffset). A date only or a time without offset is taken as UTC.
 */
function toDateTimeOffset(value: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const at = new Date(/(?:Z|[+-]\d{2}:\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalidValue(key: string) {
  return badRequest(
    'RequestBodyRead',
    `Invalid value for the property '${key}' of type 'microsoft.graph.contact'.`,
  );
}
