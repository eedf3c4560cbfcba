import { isSyncError, SyncError } from '../../errors.js';
import { type EwsCredentials, EwsTransport } from './ews-transport.js';
import { child, children, el, parseXml } from './xml.js';

/**
 * Finds a mailbox's EWS URL by POX Autodiscover (autodiscover-for-exchange.md, "Generate a list
 * of Autodiscover endpoints"): `https://{domain}/autodiscover/autodiscover.xml`, then
 * `https://autodiscover.{domain}/…`, each with the user's credentials over TLS checked against
 * the account's CA; the EXPR protocol's EwsUrl (then EXCH's). When none answers, the host the
 * user typed: `https://{host}/EWS/Exchange.asmx`. A refused password stops the search at once
 * (it is the answer, not a reason to try elsewhere). Not yet: the HTTP redirect probe and the
 * SRV record (`_autodiscover._tcp.{domain}`), the next two steps of that page.
 */
const REQUEST_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

export function autodiscoverCandidates(email: string): string[] {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!domain || !email.includes('@'))
    throw new SyncError('invalid', 'InvalidEmail', 'Autodiscover needs an e-mail address.');
  return [
    `https://${domain}/autodiscover/autodiscover.xml`,
    `https://autodiscover.${domain}/autodiscover/autodiscover.xml`,
  ];
}

export function fallbackEwsUrl(host: string): string {
  return `https://${host}/EWS/Exchange.asmx`;
}

export interface DiscoverInput {
  email: string;
  credentials: EwsCredentials;
  ca?: string;
  /** The Exchange host the user typed, for the fallback. */
  host?: string;
  /** Endpoints to try; default autodiscoverCandidates(email). */
  candidates?: string[];
  timeoutMs?: number;
}

export async function discoverEwsUrl(input: DiscoverInput): Promise<{ url: string; via: string }> {
  const body =
    `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${REQUEST_NS}"><Request>` +
    `${el('EMailAddress', input.email)}${el('AcceptableResponseSchema', RESPONSE_SCHEMA)}</Request></Autodiscover>`;
  let untrusted: SyncError | undefined;
  for (const endpoint of input.candidates ?? autodiscoverCandidates(input.email)) {
    const transport = new EwsTransport({
      url: endpoint,
      credentials: input.credentials,
      connections: 1,
      timeoutMs: input.timeoutMs ?? 15_000,
      ...(input.ca ? { ca: input.ca } : {}),
    });
    try {
      const answer = await transport.post(body);
      const url = answer.status === 200 ? ewsUrlOf(answer.body) : null;
      if (url) return { url, via: endpoint };
    } catch (error) {
      if (isSyncError(error, 'auth') && error.code === 'EwsUnauthorized') throw error;
      // Unreachable, not this server, or a certificate we do not trust: try the next endpoint,
      // and name the certificate if nothing else works.
      if (isSyncError(error, 'auth') && error.code === 'EwsCertificateRejected') untrusted = error;
    } finally {
      transport.close();
    }
  }
  if (input.host) return { url: fallbackEwsUrl(input.host), via: 'fallback' };
  if (untrusted) throw untrusted;
  throw new SyncError(
    'notFound',
    'AutodiscoverFailed',
    'No Autodiscover endpoint answered for this e-mail domain; enter the Exchange host.',
  );
}

function ewsUrlOf(xml: string): string | null {
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(xml);
  } catch {
    return null;
  }
  const protocols = children(child(child(root, 'Response'), 'Account'), 'Protocol');
  for (const type of ['EXPR', 'EXCH']) {
    const protocol = protocols.find((p) => child(p, 'Type')?.text.trim() === type);
    const url = child(protocol, 'EwsUrl')?.text.trim() || child(protocol, 'ASUrl')?.text.trim();
    if (url?.startsWith('https://')) return url;
  }
  return null;
}
