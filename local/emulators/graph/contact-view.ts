import type { StoredContact } from './store.js';

/**
 * How Exchange answers with a contact: every property present (null, "" or [] when unset,
 * `{}` for an empty address), the etag as `W/"<changeKey>"`, and with `$select` only the
 * chosen properties plus `id` and the etag.
 */
const EMPTY: Record<string, unknown> = {
  categories: [],
  birthday: null,
  fileAs: '',
  displayName: '',
  givenName: null,
  initials: null,
  middleName: null,
  nickName: null,
  surname: null,
  title: null,
  yomiGivenName: null,
  yomiSurname: null,
  yomiCompanyName: null,
  generation: null,
  imAddresses: [],
  jobTitle: null,
  companyName: null,
  department: null,
  officeLocation: null,
  profession: null,
  businessHomePage: null,
  assistantName: null,
  manager: null,
  homePhones: [],
  mobilePhone: null,
  businessPhones: [],
  spouseName: null,
  personalNotes: '',
  children: [],
  emailAddresses: [],
  homeAddress: {},
  businessAddress: {},
  otherAddress: {},
};

export const SELECTABLE_CONTACT_PROPERTIES = [
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'parentFolderId',
  ...Object.keys(EMPTY),
];

export interface ContactViewOptions {
  select?: string[] | undefined;
  /** Answer with the immutable id (the request sent `Prefer: IdType="ImmutableId"`). */
  immutable?: boolean | undefined;
  /** Lower-cased extended property ids to expand; undefined = no $expand. */
  expandExtended?: string[] | undefined;
}

export function etagOf(changeKey: string): string {
  return `W/"${changeKey}"`;
}

export function contactView(
  contact: StoredContact,
  options: ContactViewOptions = {},
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    '@odata.etag': etagOf(contact.changeKey),
    id: options.immutable ? contact.immutableId : contact.id,
    createdDateTime: contact.createdDateTime,
    lastModifiedDateTime: contact.lastModifiedDateTime,
    changeKey: contact.changeKey,
    parentFolderId: contact.folderId,
  };
  for (const [key, empty] of Object.entries(EMPTY)) {
    const value = contact.props[key];
    full[key] = value === undefined || (value === null && isAddress(key)) ? empty : value;
  }
  const view = options.select ? pick(full, options.select) : full;
  if (options.expandExtended) {
    const wanted = options.expandExtended;
    view['singleValueExtendedProperties'] = [...contact.extended.entries()]
      .filter(([key]) => wanted.length === 0 || wanted.includes(key))
      .map(([, p]) => ({ id: p.id, value: p.value }));
  }
  return view;
}

function pick(full: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const view: Record<string, unknown> = { '@odata.etag': full['@odata.etag'], id: full['id'] };
  for (const key of select) view[key] = full[key];
  return view;
}

function isAddress(key: string): boolean {
  return key.endsWith('Address');
}
