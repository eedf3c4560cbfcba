/**
 * Graph paths and query strings, built in one place so every id is URI-encoded and every
 * OData literal is quoted the same way. Paths are relative to the client's base and version.
 */
const seg = encodeURIComponent;

export const paths = {
  user: (m: string) => `/users/${seg(m)}`,
  mailboxTimeZone: (m: string) => `/users/${seg(m)}/mailboxSettings/timeZone`,
  contacts: (m: string) => `/users/${seg(m)}/contacts`,
  contact: (m: string, id: string) => `/users/${seg(m)}/contacts/${seg(id)}`,
  folders: (m: string) => `/users/${seg(m)}/contactFolders`,
  folder: (m: string, f: string) => `/users/${seg(m)}/contactFolders/${seg(f)}`,
  childFolders: (m: string, f: string) => `/users/${seg(m)}/contactFolders/${seg(f)}/childFolders`,
  folderContacts: (m: string, f: string) => `/users/${seg(m)}/contactFolders/${seg(f)}/contacts`,
  folderDelta: (m: string, f: string) => `/users/${seg(m)}/contactFolders/${seg(f)}/contacts/delta`,
  subscriptions: () => '/subscriptions',
  subscription: (id: string) => `/subscriptions/${seg(id)}`,
  subscriptionReauthorize: (id: string) => `/subscriptions/${seg(id)}/reauthorize`,
  batch: () => '/$batch',
};

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A path with a query string; values are encoded, OData `$` names are kept readable. */
export function withQuery(path: string, query: Record<string, string>): string {
  const parts = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** Graph's etag for a contact is its changeKey as a weak entity tag (`@odata.etag`). */
export function weakEtag(changeKey: string): string {
  return `W/"${changeKey}"`;
}
