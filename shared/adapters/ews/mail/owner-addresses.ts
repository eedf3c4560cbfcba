import { isSyncError } from '../../../errors.js';
import { smtpAddresses } from '../../../mail/addresses.js';
import type { EwsTransport } from '../ews-transport.js';
import { callEws } from '../soap-client.js';
import { child, children, esc } from '../xml.js';

/**
 * The mailbox owner's own addresses over EWS, which has no `proxyAddresses` property: the
 * directory entry from ResolveNames (resolvenames-operation.md) with ReturnFullContactData,
 * searched in Active Directory only. Its Mailbox carries the primary SMTP address; its Contact's
 * EmailAddresses carry the proxy addresses as `SMTP:`/`smtp:` entries (the page's answer:
 * `SMTP:User2@example.com`). EmailAddressKeyType has three keys only (entry-emailaddress.md),
 * so at most three proxy addresses come this way; the account's own address is always one.
 * Without a directory entry (ErrorNameResolutionNoResults; outlook.com-style mailboxes
 * answer a Mailbox without Contact, OfficeDev/ews-managed-api#178) the account's address is all.
 */
export async function ewsOwnerAddresses(transport: EwsTransport, mailbox: string): Promise<string[]> {
  const wanted = mailbox.trim().toLowerCase();
  let messages: Awaited<ReturnType<typeof callEws>>;
  try {
    messages = await callEws(
      transport,
      'ResolveNames',
      `<m:ResolveNames ReturnFullContactData="true" SearchScope="ActiveDirectory"><m:UnresolvedEntry>${esc(mailbox)}</m:UnresolvedEntry></m:ResolveNames>`,
    );
  } catch (error) {
    // A server that refuses the request's shape (a fault, ErrorSchemaValidation) still has the account's address.
    if (isSyncError(error, 'invalid')) return smtpAddresses([], mailbox);
    throw error;
  }
  const message = messages[0];
  // ErrorNameResolutionNoResults (or any refusal): no directory entry to read.
  if (!message?.ok) return smtpAddresses([], mailbox);
  const resolutions = children(child(message.element, 'ResolutionSet'), 'Resolution');
  const own = resolutions.find(
    (r) => child(child(r, 'Mailbox'), 'EmailAddress')?.text.trim().toLowerCase() === wanted,
  );
  if (!own) return smtpAddresses([], mailbox);
  const proxies = children(child(child(own, 'Contact'), 'EmailAddresses'), 'Entry').map((e) => e.text.trim());
  return smtpAddresses(
    [...proxies, `smtp:${child(child(own, 'Mailbox'), 'EmailAddress')?.text.trim()}`],
    mailbox,
  );
}
