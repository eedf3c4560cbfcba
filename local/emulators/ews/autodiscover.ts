import { createServer } from 'node:http';
import { child, el, parseXml } from '../../../shared/adapters/ews/xml.js';
import type { EwsHttpResponse } from './soap-response.js';
import type { EwsStore } from './store.js';

/**
 * POX Autodiscover (pox-autodiscover-request-for-exchange, pox-autodiscover-response-for-exchange).
 * The pages write the schema namespaces as `https://schemas.microsoft.com/…`; the namespaces
 * Exchange and Outlook use are `http://schemas.microsoft.com/exchange/autodiscover/…` (the
 * `https` came in with a docs-wide link rewrite), and Exchange answers a request in any other
 * namespace with error 600 Invalid Request. Corrected here: `http` is served, `https` gets 600.
 */
const REQUEST_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

function error(code: string, message: string): EwsHttpResponse {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${RESPONSE_NS}"><Response><Error Time="00:00:00.0000000" Id="1"><ErrorCode>${code}</ErrorCode>${el('Message', message)}<DebugData/></Error></Response></Autodiscover>`,
  };
}

/**
 * Redirect answers by requested address (Action (POX) `redirectAddr` / `redirectUrl`; RedirectAddr
 * (POX), RedirectUrl (POX)): what a hosted Exchange answers for an address it serves under
 * another one, or on another server.
 */
export type AutodiscoverRedirects = Record<string, { address: string } | { url: string }>;

export function autodiscover(
  store: EwsStore,
  origin: string,
  raw: string,
  redirects: AutodiscoverRedirects = {},
): EwsHttpResponse {
  let address: string | undefined;
  try {
    const root = parseXml(raw);
    if (root.name !== 'Autodiscover' || root.ns !== REQUEST_NS) return error('600', 'Invalid Request');
    const request = child(root, 'Request', REQUEST_NS);
    const schema = child(request, 'AcceptableResponseSchema', REQUEST_NS)?.text.trim();
    if (schema !== OUTLOOK_NS) return error('600', 'Invalid Request');
    address = child(request, 'EMailAddress', REQUEST_NS)?.text.trim();
  } catch {
    return error('600', 'Invalid Request');
  }
  const redirect = address ? redirects[address.toLowerCase()] : undefined;
  if (redirect) {
    const [action, element] =
      'address' in redirect
        ? ['redirectAddr', el('RedirectAddr', redirect.address)]
        : ['redirectUrl', el('RedirectUrl', redirect.url)];
    return {
      status: 200,
      headers: { 'Content-Type': 'text/xml; charset=utf-8' },
      body:
        `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${RESPONSE_NS}"><Response xmlns="${OUTLOOK_NS}">` +
        `<Account><AccountType>email</AccountType><Action>${action}</Action>${element}</Account></Response></Autodiscover>`,
    };
  }
  const mailbox = address ? store.mailboxes.get(address.toLowerCase()) : undefined;
  if (!mailbox) return error('500', 'The e-mail address cannot be found.');
  const ews = `${origin}/EWS/Exchange.asmx`;
  const protocol = (type: string) =>
    `<Protocol><Type>${type}</Type><Server>ex01.${mailbox.domain.toLowerCase()}.local</Server>${el('ASUrl', ews)}${el('EwsUrl', ews)}${el('OOFUrl', ews)}</Protocol>`;
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${RESPONSE_NS}"><Response xmlns="${OUTLOOK_NS}">` +
      `<User>${el('DisplayName', mailbox.smtp)}${el('AutoDiscoverSMTPAddress', mailbox.smtp)}</User>` +
      `<Account><AccountType>email</AccountType><Action>settings</Action>${protocol('EXCH')}${protocol('EXPR')}</Account>` +
      '</Response></Autodiscover>',
  };
}

/**
 * The HTTP redirect probe's server side (MS-OXDISCO 3.1.5.4 "Locations Found by an HTTP
 * Redirect"; "Generate a list of Autodiscover endpoints"): plain http, only
 * `GET /autodiscover/autodiscover.xml`, answered with 302 and the Location of the https
 * Autodiscover endpoint; no credentials are asked for or read. Anything else is 404.
 * `location` may be set to an http URL, to test that a client does not follow it.
 */
export interface RedirectProbe {
  url: string;
  requests: { method: string; path: string; authorization: boolean }[];
  stop(): Promise<void>;
}

export async function startRedirectProbe(options: {
  location: () => string;
  port?: number;
}): Promise<RedirectProbe> {
  const requests: RedirectProbe['requests'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization !== undefined });
    if (req.method === 'GET' && path.toLowerCase() === '/autodiscover/autodiscover.xml') {
      res.writeHead(302, { Location: options.location(), 'Content-Length': '0' });
      res.end();
      return;
    }
    res.writeHead(404, { 'Content-Length': '0' });
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
