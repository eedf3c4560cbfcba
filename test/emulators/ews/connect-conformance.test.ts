import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsTransport } from '../../../shared/adapters/ews/ews-transport.js';
import { child, parseXml } from '../../../shared/adapters/ews/xml.js';
import { MAILBOX, PASSWORD, seedMailbox, startEws } from './support.js';

/**
 * What the emulator does for connecting an account (issue 18 item 4), each behaviour from its page:
 * - the Autodiscover HTTP redirect probe: MS-OXDISCO 3.1.5.4 "Locations Found by an HTTP Redirect"
 *   (learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxdisco/115f06cf-62db-46a1-a825-8b30897f27d3):
 *   an HTTP GET of http://Autodiscover.<domain>/Autodiscover/Autodiscover.xml answered with a 302
 *   whose redirection URL the client uses; the POX endpoints themselves are https
 *   ("Generate a list of Autodiscover endpoints", learn.microsoft.com/exchange/client-developer/
 *   exchange-web-services/how-to-generate-a-list-of-autodiscover-endpoints);
 * - Basic when configured: "Authentication and EWS in Exchange" (learn.microsoft.com/exchange/
 *   client-developer/exchange-web-services/authentication-and-ews-in-exchange) lists NTLM
 *   (on-premises) and Basic (no longer recommended) as the on-premises options; a Basic-only
 *   virtual directory challenges with `WWW-Authenticate: Basic` and nothing else (RFC 7617 §2);
 * - redirect answers: Action (POX) `redirectAddr` / `redirectUrl` with RedirectAddr (POX) /
 *   RedirectUrl (POX) (learn.microsoft.com/previous-versions/office/developer/exchange-server-2010/
 *   bb204229(v=exchg.140), learn.microsoft.com/exchange/client-developer/web-service-reference/redirectaddr-pox);
 * - a certificate from an internal CA: Node refuses a chain it cannot verify unless that CA is in
 *   `ca` (nodejs.org/api/tls.html#tlsconnectoptions-callback, `rejectUnauthorized` defaults to true).
 */
let probe: RunningEwsEmulator;
let basic: RunningEwsEmulator;
let untrusted: RunningEwsEmulator;

beforeAll(async () => {
  [probe, basic, untrusted] = await Promise.all([
    startEws({
      redirectProbe: {},
      autodiscoverRedirects: {
        'alt@contoso.example': { address: MAILBOX },
        'moved@contoso.example': { url: 'https://ad.hoster.example/autodiscover/autodiscover.xml' },
      },
    }),
    startEws({ auth: 'basic' }),
    startEws({ certificate: 'untrusted', hostnames: ['ex01.contoso.example'] }),
  ]);
  for (const e of [probe, basic, untrusted]) seedMailbox(e);
});
afterAll(async () => {
  await Promise.all([probe.stop(), basic.stop(), untrusted.stop()]);
});

function get(url: string, method = 'GET'): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP redirect probe (MS-OXDISCO 3.1.5.4)', () => {
  it('answers GET /autodiscover/autodiscover.xml over plain http with 302 to the https endpoint', async () => {
    const answer = await get(`${probe.redirectProbe?.url}/Autodiscover/Autodiscover.xml`);
    expect(answer).toEqual({ status: 302, location: `${probe.url}/autodiscover/autodiscover.xml` });
    expect(answer.location?.startsWith('https://')).toBe(true);
    expect(probe.redirectProbe?.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/Autodiscover/Autodiscover.xml',
      authorization: false,
    });
  });

  it('serves nothing else over http (no EWS, no POST)', async () => {
    expect((await get(`${probe.redirectProbe?.url}/EWS/Exchange.asmx`)).status).toBe(404);
    expect((await get(`${probe.redirectProbe?.url}/autodiscover/autodiscover.xml`, 'POST')).status).toBe(404);
  });
});

describe('Basic-only mode', () => {
  it('challenges with Basic alone and accepts DOMAIN\\user:password', async () => {
    const post = (authorization?: string) =>
      fetch(basic.ewsUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', ...(authorization ? { Authorization: authorization } : {}) },
        body: '<x/>',
      });
    const challenge = await post();
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe('Basic realm="ews"');
    const wrong = await post(`Basic ${Buffer.from('CONTOSO\\anna:nope').toString('base64')}`);
    expect(wrong.status).toBe(401);
    const right = await post(`Basic ${Buffer.from(`CONTOSO\\anna:${PASSWORD}`).toString('base64')}`);
    expect(right.status).not.toBe(401);
  });
});

describe('a certificate from an unknown CA', () => {
  const handshake = (ca?: string) =>
    new Promise<string>((resolve) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: Number(new URL(untrusted.url).port),
        servername: 'ex01.contoso.example',
        ...(ca ? { ca } : {}),
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('ok');
      });
      socket.once('error', (error: Error & { code?: string }) => resolve(error.code ?? 'error'));
    });

  it('fails verification against the trusted roots (and the local CA)', async () => {
    expect(await handshake()).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED/);
  });

  it('verifies with its CA, for the host names it names', async () => {
    expect(await handshake(untrusted.caPem)).toBe('ok');
  });
});

describe('POX redirect answers (Action (POX))', () => {
  async function discover(address: string) {
    const transport = new EwsTransport({
      url: `${probe.url}/autodiscover/autodiscover.xml`,
      credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
      ca: probe.caPem,
    });
    try {
      const answer = await transport.post(
        '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">' +
          `<Request><EMailAddress>${address}</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`,
      );
      return child(child(parseXml(answer.body), 'Response'), 'Account');
    } finally {
      transport.close();
    }
  }

  it('answers redirectAddr with the address to ask for next', async () => {
    const account = await discover('alt@contoso.example');
    expect(child(account, 'Action')?.text).toBe('redirectAddr');
    expect(child(account, 'RedirectAddr')?.text).toBe(MAILBOX);
  });

  it('answers redirectUrl with the endpoint to ask next', async () => {
    const account = await discover('moved@contoso.example');
    expect(child(account, 'Action')?.text).toBe('redirectUrl');
    expect(child(account, 'RedirectUrl')?.text).toBe(
      'https://ad.hoster.example/autodiscover/autodiscover.xml',
    );
  });

  it('answers settings for a mailbox it serves', async () => {
    const account = await discover(MAILBOX);
    expect(child(account, 'Action')?.text).toBe('settings');
  });
});
