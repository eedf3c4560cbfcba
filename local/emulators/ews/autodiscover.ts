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

export function autodiscover(store: EwsStore, origin: string, raw: string): EwsHttpResponse {
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
