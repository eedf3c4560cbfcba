import { describe, expect, it } from 'vitest';
import {
  adminConsentUrl,
  classifyMx,
  decideMigration,
  detectProvider,
  isConsentError,
  type MxResolver,
} from '../../../shared/accounts/provider.js';

describe('classifyMx', () => {
  it.each([
    [['contoso-de.mail.protection.outlook.com'], 'microsoft365'],
    [['CONTOSO-DE.MAIL.PROTECTION.OUTLOOK.COM.'], 'microsoft365'],
    [['filter.hornetsecurity.com', 'contoso-de.mail.protection.outlook.com'], 'microsoft365'],
    [['mx00.ionos.de', 'mx01.ionos.de'], 'ionos'],
    [['mx00.ionos.com'], 'ionos'],
    [['mx.ionos.co.uk'], 'ionos'],
    [['mx00.1and1.co.uk'], 'ionos'],
    [['mx00.kundenserver.de'], 'ionos'],
    [['kundenserver.de'], 'ionos'],
    [['mx.example.de'], 'unknown'],
    [['aspmx.l.google.com'], 'unknown'],
    [['ionos.example.de'], 'unknown'], // "ionos" as the host's own first label is not IONOS
    [['mail.protection.outlook.com.evil.de'], 'unknown'],
    [['outlook.com'], 'unknown'],
    [[], 'unknown'],
    [['  '], 'unknown'],
  ])('%j → %s', (hosts, provider) => {
    expect(classifyMx(hosts).provider).toBe(provider);
  });

  it('asks for a manual choice with a reason for IONOS and unknown hosts', () => {
    expect(classifyMx(['mx00.ionos.de'])).toMatchObject({
      needsChoice: true,
      reason: expect.stringContaining('IONOS'),
    });
    expect(classifyMx(['mx.example.de'])).toMatchObject({
      needsChoice: true,
      reason: expect.stringContaining('manually'),
    });
    expect(classifyMx(['x.mail.protection.outlook.com'])).toEqual({ provider: 'microsoft365' });
  });
});

describe('detectProvider', () => {
  const resolver = (
    records: Record<string, { exchange: string; priority: number }[]>,
  ): MxResolver & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      async resolveMx(domain) {
        asked.push(domain);
        const found = records[domain];
        if (!found) throw Object.assign(new Error(`queryMx ENOTFOUND ${domain}`), { code: 'ENOTFOUND' });
        return found;
      },
    };
  };

  it('looks up the lower-cased domain of the address', async () => {
    const fake = resolver({
      'firma.de': [{ exchange: 'firma-de.mail.protection.outlook.com', priority: 0 }],
    });
    expect(await detectProvider('Anna@Firma.DE', fake)).toEqual({ provider: 'microsoft365' });
    expect(fake.asked).toEqual(['firma.de']);
  });

  it('detects IONOS-hosted mailboxes', async () => {
    const fake = resolver({
      'shop.de': [
        { exchange: 'mx01.ionos.de', priority: 100 },
        { exchange: 'mx00.ionos.de', priority: 10 },
      ],
    });
    expect(await detectProvider('info@shop.de', fake)).toMatchObject({
      provider: 'ionos',
      needsChoice: true,
    });
  });

  it('answers unknown, naming the DNS error, when the lookup fails', async () => {
    const result = await detectProvider('x@nowhere.example', resolver({}));
    expect(result).toMatchObject({ provider: 'unknown', needsChoice: true });
    expect(result.provider !== 'microsoft365' && result.reason).toContain('ENOTFOUND');
  });

  it('answers unknown without a lookup for an address without a domain', async () => {
    const fake = resolver({});
    expect(await detectProvider('nobody', fake)).toMatchObject({ provider: 'unknown' });
    expect(fake.asked).toEqual([]);
  });
});

describe('decideMigration', () => {
  const m365 = { provider: 'microsoft365' } as const;
  const ionos = { provider: 'ionos', needsChoice: true, reason: 'IONOS' } as const;
  const unknown = { provider: 'unknown', needsChoice: true, reason: 'no MX' } as const;

  it.each([
    ['detected M365, no request', { detected: m365 }, { kind: 'proceed', provider: 'microsoft365' }],
    ['IONOS, no request', { detected: ionos }, { kind: 'chooseProvider', reason: 'IONOS' }],
    ['unknown, no request', { detected: unknown }, { kind: 'chooseProvider', reason: 'no MX' }],
    [
      'IONOS, explicit M365',
      { detected: ionos, requestedProvider: 'microsoft365' },
      { kind: 'proceed', provider: 'microsoft365' },
    ],
    [
      'unknown, explicit M365',
      { detected: unknown, requestedProvider: 'microsoft365' },
      { kind: 'proceed', provider: 'microsoft365' },
    ],
  ] as const)('%s', (_name, input, expected) => {
    expect(decideMigration(input)).toEqual(expected);
  });

  it('connects an on-premises choice with its host and login over EWS (issue 18), whatever was detected', () => {
    const decision = decideMigration({
      detected: m365,
      requestedProvider: 'onPremises',
      onPremises: { host: 'mail.firma.de', username: 'anna' },
    });
    expect(decision).toEqual({
      kind: 'connectOnPremises',
      provider: 'onPremises',
      host: 'mail.firma.de',
      username: 'anna',
    });
  });

  it('has nothing to connect for an on-premises choice without host and login', () => {
    const decision = decideMigration({ detected: unknown, requestedProvider: 'onPremises' });
    expect(decision).toMatchObject({ kind: 'unsupported', provider: 'onPremises' });
    expect(decision.kind === 'unsupported' && decision.message).toMatch(
      /host, the user name and the password/,
    );
  });
});

describe('adminConsentUrl', () => {
  it('builds the v2.0 admin consent endpoint with .default scope', () => {
    const url = new URL(
      adminConsentUrl('contoso.onmicrosoft.com', 'client-1', 'https://app.example/api/consent?x=1&y=2'),
    );
    expect(url.origin + url.pathname).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1',
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: 'https://app.example/api/consent?x=1&y=2',
    });
  });

  it('uses another authority host, with or without a trailing slash', () => {
    expect(adminConsentUrl('t', 'c', 'https://r')).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/t\/v2\.0\/adminconsent\?/,
    );
    for (const host of ['https://127.0.0.1:8443', 'https://127.0.0.1:8443/']) {
      expect(adminConsentUrl('t', 'c', 'https://r', host)).toMatch(
        /^https:\/\/127\.0\.0\.1:8443\/t\/v2\.0\/adminconsent\?client_id=c&/,
      );
    }
  });
});

describe('isConsentError', () => {
  it.each([
    [{ code: 'consent_required' }, true],
    [
      {
        code: 'invalid_grant',
        message: 'AADSTS65001: The user or administrator has not consented to use the application',
      },
      true,
    ],
    [{ message: 'AADSTS65001: The user or administrator has not consented' }, true],
    [{ code: 'AADSTS65001' }, true],
    [{ status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.' }, true],
    [{ status: 403, code: 'Authorization_RequestDenied' }, true],
    [{ status: 401, code: 'ErrorAccessDenied' }, false],
    [{ status: 403, code: 'ErrorItemNotFound' }, false],
    [{ code: 'invalid_grant', message: 'AADSTS70008: The refresh token has expired' }, false],
    [{ code: 'invalid_client', message: 'AADSTS7000215: Invalid client secret provided' }, false],
    [{ message: 'AADSTS650010 something else' }, false],
    [{ status: 429, code: 'TooManyRequests' }, false],
    [{}, false],
  ])('%j → %s', (error, expected) => {
    expect(isConsentError(error)).toBe(expected);
  });
});
