/**
 * E-mail addresses compared the way people expect: trimmed and case-insensitive (RFC 5321
 * allows a case-sensitive local part, but no mail system in use treats it so, and the CRM's
 * own address search is case-insensitive too).
 */

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** The domain of an address (lower-cased), or '' when it has none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : normaliseAddress(address.slice(at + 1));
}

/** The local part of an address (lower-cased). */
export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return normaliseAddress(at < 0 ? address : address.slice(0, at));
}

/**
 * The SMTP addresses of a user's `proxyAddresses` (`SMTP:primary@x`, `smtp:alias@y`,
 * learn.microsoft.com/graph/api/resources/user, property proxyAddresses). Other address
 * types (X500:, SIP:, …) are not mail addresses and are left out.
 */
export function smtpAddresses(proxyAddresses: readonly string[], mail?: string | null): string[] {
  const found = proxyAddresses
    .filter((entry) => /^smtp:/i.test(entry))
    .map((entry) => normaliseAddress(entry.slice(5)));
  if (mail) found.push(normaliseAddress(mail));
  return [...new Set(found)].filter((address) => address.includes('@'));
}
