import { request as httpRequest } from 'node:http';
import { isSyncError, SyncError } from '../../errors.js';
import { type EwsNetwork, nodeNetwork, type SrvRecord } from './connect-network.js';
import { type EwsCredentials, EwsTransport } from './ews-transport.js';
import { child, children, el, parseXml } from './xml.js';

/**
 * Finds a mailbox's EWS URL by POX Autodiscover, in the order of "Generate a list of
 * Autodiscover endpoints" (learn.microsoft.com/exchange/client-developer/exchange-web-services/
 * how-to-generate-a-list-of-autodiscover-endpoints; SCP needs Active Directory and is skipped):
 *
 * 1. `https://{domain}/autodiscover/autodiscover.xml`, then `https://autodiscover.{domain}/…`;
 * 2. the HTTP redirect probe (MS-OXDISCO 3.1.5.4): an unauthenticated
 *    `GET http://autodiscover.{domain}/autodiscover/autodiscover.xml`; a 302 to an https URL adds
 *    that URL. Nothing but the GET goes over http, a redirect to http is not followed, nor one
 *    out of the address's domain and the typed host's (`trustedRedirect`);
 * 3. the SRV record `_autodiscover._tcp.{domain}` (MS-OXDISCO 3.1.5.3): each target, by priority
 *    then weight, as `https://{target}/autodiscover/autodiscover.xml`.
 *
 * Each endpoint is asked with the user's credentials only after its TLS handshake passed
 * against the account's trust (public roots plus its CA) and an unauthenticated first request
 * (EwsTransport). The answer's EXPR protocol gives the EwsUrl (else EXCH's). When none answers,
 * the host the user typed: `https://{host}/EWS/Exchange.asmx`. A refused password stops the
 * search at once (it is the answer, not a reason to try elsewhere).
 */
const REQUEST_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
const PATH = '/autodiscover/autodiscover.xml';

export function emailDomain(email: string): string {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!domain || !email.includes('@'))
    throw new SyncError('invalid', 'InvalidEmail', 'Autodiscover needs an e-mail address.');
  return domain;
}

/** Step 1: the two POX endpoints derived from the address, in order. */
export function autodiscoverCandidates(email: string): string[] {
  const domain = emailDomain(email);
  return [`https://${domain}${PATH}`, `https://autodiscover.${domain}${PATH}`];
}

/** Step 2's probe URL (plain http, no credentials). */
export function redirectProbeUrl(email: string): string {
  return `http://autodiscover.${emailDomain(email)}${PATH}`;
}

/** Step 2's answer: the https URL a 302 (or 301) points to, else null (http targets are refused). */
export function redirectTarget(status: number, location: string | undefined): string | null {
  if (status !== 302 && status !== 301) return null;
  if (!location) return null;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return null;
  }
  return url.protocol === 'https:' ? url.toString() : null;
}

/**
 * Whether a redirect probe's target may get the credentials. The probe is plain http, so anyone
 * on the path can answer it; Outlook asks the user before it follows (MS-OXDISCO 3.1.5.4 "prompt
 * the user to warn them of the redirection"). With nobody to ask, a target is followed only
 * within the address's domain or the domain of the host the user typed (a provider's server).
 */
export function trustedRedirect(target: string, email: string, typedHost: string | undefined): boolean {
  const host = new URL(target).hostname.toLowerCase();
  const within = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (within(emailDomain(email))) return true;
  if (!typedHost) return false;
  const typed = (
    /^https:\/\//i.test(typedHost) ? new URL(typedHost).hostname : (typedHost.split(':')[0] ?? '')
  ).toLowerCase();
  if (typed === '') return false;
  const labels = typed.split('.');
  // The typed host's parent domain (mail.provider.example → provider.example), never a bare TLD.
  const parent = labels.length > 2 ? labels.slice(1).join('.') : typed;
  return within(typed) || within(parent);
}

export function srvName(email: string): string {
  return `_autodiscover._tcp.${emailDomain(email)}`;
}

/** Step 3: SRV targets by priority (lowest first), then weight (highest first). */
export function srvCandidates(records: readonly SrvRecord[]): string[] {
  return [...records]
    .filter((r) => r.name !== '' && r.name !== '.')
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
    .map((r) => {
      const host = r.name.replace(/\.$/, '').toLowerCase();
      return `https://${host}${r.port === 443 ? '' : `:${r.port}`}${PATH}`;
    });
}

export function fallbackEwsUrl(host: string): string {
  if (/^https:\/\//i.test(host)) {
    const url = new URL(host);
    return url.pathname === '/' ? `${url.origin}/EWS/Exchange.asmx` : url.toString();
  }
  return `https://${host}/EWS/Exchange.asmx`;
}

export interface DiscoverInput {
  email: string;
  credentials: EwsCredentials;
  ca?: string;
  /** The Exchange host the user typed, for the fallback. */
  host?: string;
  /** Only these POX endpoints, without the redirect probe and SRV (tests of step 1). */
  candidates?: string[];
  timeoutMs?: number;
  network?: EwsNetwork;
}

export type DiscoveryStep = 'pox' | 'redirect' | 'srv' | 'fallback';

export async function discoverEwsUrl(
  input: DiscoverInput,
): Promise<{ url: string; via: string; step: DiscoveryStep }> {
  const body = (email: string) =>
    `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${REQUEST_NS}"><Request>` +
    `${el('EMailAddress', email)}${el('AcceptableResponseSchema', RESPONSE_SCHEMA)}</Request></Autodiscover>`;
  let untrusted: SyncError | undefined;
  let redirects = 0;
  const tried = new Set<string>();
  /** Asks one endpoint, following its redirectUrl / redirectAddr answers (at most 10 in all). */
  const ask = async (endpoint: string, email = input.email): Promise<string | null> => {
    const key = `${email.toLowerCase()} ${endpoint}`;
    if (tried.has(key)) return null;
    tried.add(key);
    const answer = await post(endpoint, email);
    if (!answer) return null;
    if (answer.kind === 'settings') return answer.ewsUrl;
    if (redirects >= MAX_AUTODISCOVER_REDIRECTS) return null;
    redirects += 1;
    if (answer.kind === 'redirectUrl') return ask(answer.url, email);
    for (const next of autodiscoverCandidates(answer.address)) {
      const url = await ask(next, answer.address);
      if (url) return url;
    }
    return null;
  };
  const post = async (endpoint: string, email: string): Promise<PoxAnswer | null> => {
    const transport = new EwsTransport({
      url: endpoint,
      credentials: input.credentials,
      connections: 1,
      timeoutMs: input.timeoutMs ?? 15_000,
      ...(input.ca ? { ca: input.ca } : {}),
      ...(input.network ? { address: input.network.address } : {}),
    });
    try {
      const answer = await transport.post(body(email));
      return answer.status === 200 ? poxAnswer(answer.body) : null;
    } catch (error) {
      if (isSyncError(error, 'auth') && error.code === 'EwsUnauthorized') throw error;
      // Unreachable, not this server, or a certificate we do not trust: try the next endpoint,
      // and name the certificate if nothing else works.
      if (isSyncError(error, 'auth') && error.code === 'EwsCertificateRejected') untrusted = error;
      return null;
    } finally {
      transport.close();
    }
  };

  for (const endpoint of input.candidates ?? autodiscoverCandidates(input.email)) {
    const url = await ask(endpoint);
    if (url) return { url, via: endpoint, step: 'pox' };
  }
  if (input.candidates === undefined) {
    const network = input.network;
    const redirected = await probeRedirect(redirectProbeUrl(input.email), input.timeoutMs ?? 15_000, network);
    if (redirected && trustedRedirect(redirected, input.email, input.host)) {
      const url = await ask(redirected);
      if (url) return { url, via: redirected, step: 'redirect' };
    }
    const records = await (network ?? nodeNetwork).resolveSrv(srvName(input.email)).catch(() => []);
    for (const endpoint of srvCandidates(records)) {
      const url = await ask(endpoint);
      if (url) return { url, via: endpoint, step: 'srv' };
    }
  }
  if (input.host) return { url: fallbackEwsUrl(input.host), via: 'fallback', step: 'fallback' };
  if (untrusted) throw untrusted;
  throw new SyncError(
    'notFound',
    'AutodiscoverFailed',
    'No Autodiscover endpoint answered for this e-mail domain; enter the Exchange host.',
  );
}

/** The unauthenticated GET of step 2: the https redirect target, or null. Never sends a credential. */
function probeRedirect(probe: string, timeoutMs: number, network?: EwsNetwork): Promise<string | null> {
  const url = new URL(probe);
  const port = Number(url.port || 80);
  const target = network?.address(url.hostname, port) ?? { host: url.hostname, port };
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        hostname: target.host,
        port: target.port,
        path: url.pathname,
        method: 'GET',
        headers: { Host: url.host },
        timeout: Math.min(timeoutMs, 10_000),
      },
      (res) => {
        res.resume();
        const location = res.headers.location;
        resolve(redirectTarget(res.statusCode ?? 0, Array.isArray(location) ? location[0] : location));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/**
 * What a POX answer says (Action (POX): `settings`, `redirectAddr`, `redirectUrl`;
 * learn.microsoft.com/previous-versions/office/developer/exchange-server-2010/bb204229(v=exchg.140)):
 * the EWS URL (EXPR's, else EXCH's), another address to ask for (RedirectAddr (POX)), or another
 * https endpoint to ask (RedirectUrl (POX)); null for anything else (an Error, not XML).
 */
export type PoxAnswer =
  | { kind: 'settings'; ewsUrl: string }
  | { kind: 'redirectAddr'; address: string }
  | { kind: 'redirectUrl'; url: string };

export function poxAnswer(xml: string): PoxAnswer | null {
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(xml);
  } catch {
    return null;
  }
  const account = child(child(root, 'Response'), 'Account');
  const action = child(account, 'Action')?.text.trim();
  if (action === 'redirectAddr') {
    const address = child(account, 'RedirectAddr')?.text.trim() ?? '';
    return address.includes('@') ? { kind: 'redirectAddr', address } : null;
  }
  if (action === 'redirectUrl') {
    const url = child(account, 'RedirectUrl')?.text.trim() ?? '';
    return url.startsWith('https://') ? { kind: 'redirectUrl', url } : null;
  }
  const protocols = children(account, 'Protocol');
  for (const type of ['EXPR', 'EXCH']) {
    const protocol = protocols.find((p) => child(p, 'Type')?.text.trim() === type);
    const url = child(protocol, 'EwsUrl')?.text.trim() || child(protocol, 'ASUrl')?.text.trim();
    if (url?.startsWith('https://')) return { kind: 'settings', ewsUrl: url };
  }
  return null;
}

/** "The client application should stop redirecting after 10 redirects" (Action (POX)). */
export const MAX_AUTODISCOVER_REDIRECTS = 10;
