import { describe, expect, it } from 'vitest';
import {
  autodiscoverCandidates,
  fallbackEwsUrl,
  poxAnswer,
  redirectProbeUrl,
  redirectTarget,
  srvCandidates,
  srvName,
  trustedRedirect,
} from '../../../shared/adapters/ews/autodiscover.js';
import { classifyConnectError, connectMessage } from '../../../shared/adapters/ews/connect.js';
import { SyncError } from '../../../shared/errors.js';

// The order of "Generate a list of Autodiscover endpoints"
// (learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/how-to-generate-a-list-of-autodiscover-endpoints):
// SCP (Active Directory only, not for us), then https://{domain}/autodiscover/autodiscover.xml and
// https://autodiscover.{domain}/autodiscover/autodiscover.xml, then the HTTP redirect probe
// (MS-OXDISCO 3.1.5.4, learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxdisco/115f06cf-62db-46a1-a825-8b30897f27d3),
// then DNS SRV (MS-OXDISCO 3.1.5.3 "Locations Found from SRV DNS Records": for each <host>,
// "https://<host>/Autodiscover/Autodiscover.xml").
describe('Autodiscover endpoint order', () => {
  it('derives the two POX URLs from the address, domain first, lower-cased', () => {
    expect(autodiscoverCandidates('Anna@Contoso.Example')).toEqual([
      'https://contoso.example/autodiscover/autodiscover.xml',
      'https://autodiscover.contoso.example/autodiscover/autodiscover.xml',
    ]);
  });

  it('probes http://autodiscover.{domain}/autodiscover/autodiscover.xml and asks DNS for _autodiscover._tcp.{domain}', () => {
    expect(redirectProbeUrl('anna@contoso.example')).toBe(
      'http://autodiscover.contoso.example/autodiscover/autodiscover.xml',
    );
    expect(srvName('anna@Contoso.Example')).toBe('_autodiscover._tcp.contoso.example');
  });

  it('takes SRV targets by priority, then by weight, with a port other than 443 kept', () => {
    expect(
      srvCandidates([
        { name: 'b.contoso.example', port: 443, priority: 10, weight: 5 },
        { name: 'a.contoso.example.', port: 8443, priority: 0, weight: 1 },
        { name: 'c.contoso.example', port: 443, priority: 10, weight: 50 },
        { name: '.', port: 0, priority: 0, weight: 0 }, // "no service" (RFC 2782)
      ]),
    ).toEqual([
      'https://a.contoso.example:8443/autodiscover/autodiscover.xml',
      'https://c.contoso.example/autodiscover/autodiscover.xml',
      'https://b.contoso.example/autodiscover/autodiscover.xml',
    ]);
  });

  it('follows a redirect only to https', () => {
    expect(redirectTarget(302, 'https://ex01.contoso.example/autodiscover/autodiscover.xml')).toBe(
      'https://ex01.contoso.example/autodiscover/autodiscover.xml',
    );
    expect(redirectTarget(302, 'http://ex01.contoso.example/autodiscover/autodiscover.xml')).toBeNull();
    expect(redirectTarget(200, 'https://ex01.contoso.example/')).toBeNull();
    expect(redirectTarget(302, undefined)).toBeNull();
    expect(redirectTarget(302, 'not a url')).toBeNull();
  });

  it("follows a redirect only within the address's domain or the typed host's (nobody to ask, unlike Outlook)", () => {
    const email = 'anna@contoso.example';
    expect(
      trustedRedirect('https://ex01.contoso.example/autodiscover/autodiscover.xml', email, undefined),
    ).toBe(true);
    expect(trustedRedirect('https://contoso.example/autodiscover/autodiscover.xml', email, undefined)).toBe(
      true,
    );
    expect(trustedRedirect('https://autodiscover.hoster.example/a.xml', email, 'mail.hoster.example')).toBe(
      true,
    );
    expect(
      trustedRedirect(
        'https://autodiscover.hoster.example/a.xml',
        email,
        'https://mail.hoster.example/EWS/Exchange.asmx',
      ),
    ).toBe(true);
    expect(
      trustedRedirect('https://evil.example/autodiscover/autodiscover.xml', email, 'mail.hoster.example'),
    ).toBe(false);
    expect(trustedRedirect('https://notcontoso.example/a.xml', email, undefined)).toBe(false);
    // A two-label typed host is its own domain, never widened to the TLD.
    expect(trustedRedirect('https://x.example/a.xml', email, 'hoster.example')).toBe(false);
  });

  it('falls back to https://{host}/EWS/Exchange.asmx, or takes a typed https URL as it is', () => {
    expect(fallbackEwsUrl('mail.contoso.example')).toBe('https://mail.contoso.example/EWS/Exchange.asmx');
    expect(fallbackEwsUrl('mail.contoso.example:8443')).toBe(
      'https://mail.contoso.example:8443/EWS/Exchange.asmx',
    );
    expect(fallbackEwsUrl('https://mail.contoso.example')).toBe(
      'https://mail.contoso.example/EWS/Exchange.asmx',
    );
    expect(fallbackEwsUrl('https://mail.contoso.example/ews/exchange.asmx')).toBe(
      'https://mail.contoso.example/ews/exchange.asmx',
    );
  });
});

describe('connect failures', () => {
  it('names a refused sign-in, a certificate and an unreachable host apart', () => {
    expect(classifyConnectError(new SyncError('auth', 'EwsUnauthorized', 'x'))).toBe('EwsWrongPassword');
    expect(classifyConnectError(new SyncError('auth', 'EwsCertificateRejected', 'x'))).toBe(
      'EwsBadCertificate',
    );
    expect(classifyConnectError(new SyncError('transient', 'ECONNREFUSED', 'x'))).toBe('EwsHostUnreachable');
    expect(classifyConnectError(new SyncError('transient', 'ENOTFOUND', 'x'))).toBe('EwsHostUnreachable');
    expect(classifyConnectError(new SyncError('transient', 'Timeout', 'x'))).toBe('EwsHostUnreachable');
    expect(classifyConnectError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toBe(
      'EwsBadCertificate',
    );
    expect(
      classifyConnectError(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' })),
    ).toBe('EwsBadCertificate');
    expect(classifyConnectError(new SyncError('transient', 'Http404', 'x'))).toBe('EwsNotExchange');
  });

  it('says which, naming the host and never a password', () => {
    expect(connectMessage('EwsWrongPassword', 'ex01.contoso.example')).toMatch(/user name or password/);
    expect(connectMessage('EwsHostUnreachable', 'ex01.contoso.example')).toMatch(/could not be reached/);
    expect(connectMessage('EwsBadCertificate', 'ex01.contoso.example')).toMatch(
      /certificate .* not trusted; no password was sent/,
    );
    for (const code of [
      'EwsWrongPassword',
      'EwsHostUnreachable',
      'EwsBadCertificate',
      'EwsNotExchange',
    ] as const)
      expect(connectMessage(code, 'ex01.contoso.example')).toContain('ex01.contoso.example');
  });
});

// Action (POX): redirectUrl, redirectAddr or settings
// (learn.microsoft.com/previous-versions/office/developer/exchange-server-2010/bb204229(v=exchg.140)).
describe('POX answers', () => {
  const wrap = (account: string) =>
    '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">' +
    `<Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><Account>${account}</Account></Response></Autodiscover>`;

  it('reads settings (EXPR before EXCH), redirectAddr and an https redirectUrl', () => {
    expect(
      poxAnswer(
        wrap(
          '<AccountType>email</AccountType><Action>settings</Action>' +
            '<Protocol><Type>EXCH</Type><EwsUrl>https://ex01.contoso.local/EWS/Exchange.asmx</EwsUrl></Protocol>' +
            '<Protocol><Type>EXPR</Type><EwsUrl>https://mail.contoso.example/EWS/Exchange.asmx</EwsUrl></Protocol>',
        ),
      ),
    ).toEqual({ kind: 'settings', ewsUrl: 'https://mail.contoso.example/EWS/Exchange.asmx' });
    expect(
      poxAnswer(wrap('<Action>redirectAddr</Action><RedirectAddr>anna@hoster.example</RedirectAddr>')),
    ).toEqual({
      kind: 'redirectAddr',
      address: 'anna@hoster.example',
    });
    expect(
      poxAnswer(
        wrap(
          '<Action>redirectUrl</Action><RedirectUrl>https://ad.hoster.example/autodiscover/autodiscover.xml</RedirectUrl>',
        ),
      ),
    ).toEqual({ kind: 'redirectUrl', url: 'https://ad.hoster.example/autodiscover/autodiscover.xml' });
  });

  it('ignores an http redirectUrl, an address without @, and what is not XML', () => {
    expect(
      poxAnswer(
        wrap('<Action>redirectUrl</Action><RedirectUrl>http://ad.hoster.example/a.xml</RedirectUrl>'),
      ),
    ).toBeNull();
    expect(poxAnswer(wrap('<Action>redirectAddr</Action><RedirectAddr>nobody</RedirectAddr>'))).toBeNull();
    expect(poxAnswer('<html>')).toBeNull();
  });
});
