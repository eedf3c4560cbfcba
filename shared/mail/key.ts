import { createHash } from 'node:crypto';

/**
 * The CRM e-mail key (issue 17, item 3): one CRM e-mail per tenant and internetMessageId,
 * however many of the tenant's mailboxes hold a copy. A hash keeps the key URL-safe and
 * fixed-length (Message-IDs may hold `/`, `%`, `+` and run to hundreds of characters), and
 * keeps the raw Message-ID out of URLs and logs.
 *
 * The Message-ID is compared as written, only trimmed and stripped of its angle brackets:
 * RFC 5322 makes it an exact token, and every copy carries the same bytes.
 */

export function normaliseMessageId(internetMessageId: string): string {
  return internetMessageId.trim().replace(/^<(.*)>$/, '$1');
}

export function emailKey(tenantId: string, internetMessageId: string): string {
  const digest = createHash('sha256')
    .update(`${tenantId.trim().toLowerCase()}\n${normaliseMessageId(internetMessageId)}`)
    .digest('base64url');
  return `em_${digest}`;
}

export const EMAIL_KEY_PATTERN = /^em_[A-Za-z0-9_-]{43}$/;
