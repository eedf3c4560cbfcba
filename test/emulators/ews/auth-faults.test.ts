import { request } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsTransport } from '../../../shared/adapters/ews/ews-transport.js';
import { child, NS, parseXml } from '../../../shared/adapters/ews/xml.js';
import {
  MAILBOX,
  messages,
  PASSWORD,
  postSoap,
  SOAP_CLOSE,
  SOAP_OPEN,
  seedMailbox,
  startEws,
  text,
  transportFor,
} from './support.js';

let emulator: RunningEwsEmulator;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(() => emulator.stop());
beforeEach(() => seedMailbox(emulator));

const FIND = `${SOAP_OPEN}<FindFolder Traversal="Shallow" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><FolderShape><t:BaseShape>IdOnly</t:BaseShape></FolderShape><ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></ParentFolderIds></FindFolder>${SOAP_CLOSE}`;

function raw(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, emulator.url);
    const req = request(
      url,
      { method: 'POST', ca: emulator.caPem, headers: { 'Content-Type': 'text/xml', ...headers } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('authentication as IIS does it for EWS', () => {
  it('answers an anonymous request 401 with WWW-Authenticate Negotiate and NTLM', async () => {
    const answer = await raw('/EWS/Exchange.asmx', FIND);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Negotiate, NTLM');
  });

  it('runs the NTLMv2 handshake once per kept-alive connection', async () => {
    const ews = new EwsTransport({
      url: emulator.ewsUrl,
      credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
      ca: emulator.caPem,
      connections: 1,
    });
    for (let i = 0; i < 3; i++) expect((await ews.post(FIND)).status).toBe(200);
    ews.close();
    // probe (401), type 1 (401 with the challenge), type 3 (200), then two plain requests.
    expect(emulator.admin.log.map((r) => r.status)).toEqual([401, 401, 200, 200, 200]);
    expect(emulator.admin.log.at(-1)?.user).toBe(MAILBOX);
  });

  it('signs in with the UPN as well as DOMAIN\\user', async () => {
    const ews = transportFor(emulator, MAILBOX);
    expect((await ews.post(FIND)).status).toBe(200);
    ews.close();
  });

  it('refuses a wrong password with `auth`, naming neither password', async () => {
    const ews = transportFor(emulator, 'CONTOSO\\anna', 'wrong-password-123');
    const error = (await ews.post(FIND).then(
      () => new Error('signed in'),
      (e: unknown) => e,
    )) as Error & { kind: string };
    ews.close();
    expect(error).toMatchObject({ kind: 'auth', code: 'EwsUnauthorized' });
    expect(error.message).not.toContain('wrong-password-123');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('speaks Basic when the server is configured for it', async () => {
    emulator.admin.authMode = 'basic';
    try {
      const anonymous = await raw('/EWS/Exchange.asmx', FIND);
      expect(anonymous.headers['www-authenticate']).toBe('Basic realm="ews"');
      const ews = transportFor(emulator);
      expect((await ews.post(FIND)).status).toBe(200);
      ews.close();
    } finally {
      emulator.admin.authMode = 'ntlm';
    }
  });

  it('refuses a server whose certificate the account’s CA does not sign, before any credential', async () => {
    const otherCa = (await import('selfsigned')).generate([{ name: 'commonName', value: 'other' }], {
      keySize: 2048,
    });
    const ews = new EwsTransport({
      url: emulator.ewsUrl,
      credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
      ca: (await otherCa).cert,
    });
    const error = await ews.post(FIND).catch((e: unknown) => e);
    ews.close();
    expect(error).toMatchObject({ kind: 'auth', code: 'EwsCertificateRejected' });
    expect(emulator.admin.log).toHaveLength(0);
  });
});

describe('faults on demand', () => {
  it('sends ErrorServerBusy as Exchange does, with BackOffMilliseconds in MessageXml (davmail#161)', async () => {
    emulator.admin.addFault({ kind: 'serverBusy', backOffMs: 1234, operation: 'FindFolder' });
    const ews = transportFor(emulator);
    const { status, body } = await postSoap(ews, FIND);
    expect(status).toBe(500);
    expect(text(body, 'faultcode')).toBe('a:ErrorServerBusy');
    const value = child(child(body, 'detail'), 'MessageXml', NS.types)?.children[0];
    expect(value?.attrs['Name']).toBe('BackOffMilliseconds');
    expect(value?.text).toBe('1234');
    expect(messages((await postSoap(ews, FIND)).body)[0]?.attrs['ResponseClass']).toBe('Success');
    ews.close();
  });

  it('cuts the connection without an answer on a timeout fault', async () => {
    emulator.admin.addFault({ kind: 'timeout', delayMs: 50 });
    const ews = transportFor(emulator);
    await expect(ews.post(FIND)).rejects.toMatchObject({ kind: 'transient' });
    ews.close();
  });
});

describe('POX Autodiscover (pox-autodiscover-request-for-exchange)', () => {
  const request = (
    scheme: string,
    address = MAILBOX,
  ) => `<Autodiscover xmlns="${scheme}://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
   <Request>
     <EMailAddress>${address}</EMailAddress>
     <AcceptableResponseSchema>${scheme}://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
   </Request>
 </Autodiscover>`;

  it('answers the EWS URL for the mailbox, in the http namespaces Exchange uses', async () => {
    const ews = new EwsTransport({
      url: `${emulator.url}/autodiscover/autodiscover.xml`,
      credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
      ca: emulator.caPem,
    });
    const answer = await ews.post(request('http'));
    const root = parseXml(answer.body);
    const protocol = child(child(child(root, 'Response'), 'Account'), 'Protocol');
    expect(text(protocol, 'Type')).toBe('EXCH');
    expect(text(protocol, 'EwsUrl')).toBe(emulator.ewsUrl);
    // The page writes the namespaces with https; Exchange answers that with error 600.
    const wrong = parseXml((await ews.post(request('https'))).body);
    expect(text(child(child(wrong, 'Response'), 'Error'), 'ErrorCode')).toBe('600');
    const unknown = parseXml((await ews.post(request('http', 'nobody@contoso.example'))).body);
    expect(text(child(child(unknown, 'Response'), 'Error'), 'ErrorCode')).toBe('500');
    ews.close();
  });
});
