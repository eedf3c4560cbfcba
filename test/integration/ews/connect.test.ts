import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRedirectProbe } from '../../../local/emulators/ews/autodiscover.js';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { startEwsEmulator } from '../../../local/emulators/ews/index.js';
import { testOnPremisesConnection } from '../../../shared/adapters/ews/connect.js';
import type { EwsNetwork, SrvRecord } from '../../../shared/adapters/ews/connect-network.js';
import { MAILBOX, PASSWORD, seed } from './support.js';

/**
 * Connecting an on-premises mailbox against the EWS emulator, each Autodiscover step of
 * "Generate a list of Autodiscover endpoints" (learn.microsoft.com/exchange/client-developer/
 * exchange-web-services/how-to-generate-a-list-of-autodiscover-endpoints): the two POX URLs of
 * the domain, the HTTP redirect probe (MS-OXDISCO 3.1.5.4), the SRV record (MS-OXDISCO 3.1.5.3),
 * then the typed host. Host names go to the emulator through the injected network, and its
 * certificate names them (signed by the local CA the tests trust).
 */
const HOSTS = ['contoso.example', 'autodiscover.contoso.example', 'ex01.contoso.example', 'evil.example'];
let emulator: RunningEwsEmulator;

beforeAll(async () => {
  emulator = await startEwsEmulator({
    tlsDir: inject('tlsDir'),
    port: 0,
    hostnames: HOSTS,
    redirectProbe: { location: 'https://ex01.contoso.example/autodiscover/autodiscover.xml' },
    autodiscoverRedirects: {
      'alt@contoso.example': { address: MAILBOX },
      'loop@contoso.example': { url: 'https://autodiscover.contoso.example/autodiscover/autodiscover.xml' },
    },
  });
  seed(emulator);
});
afterAll(() => emulator.stop());

const port = (e: RunningEwsEmulator) => Number(new URL(e.url).port);

/** `hosts`: "name:port" → the emulator (or its redirect probe); everything else is refused. */
function network(
  e: RunningEwsEmulator,
  hosts: Record<string, 'https' | 'probe'>,
  srv: Record<string, SrvRecord[]> = {},
): EwsNetwork {
  return {
    resolveSrv: async (name) => srv[name] ?? [],
    address: (host, p) => {
      if (host === '127.0.0.1') return { host, port: p };
      const to = hosts[`${host}:${p}`];
      if (to === 'https') return { host: '127.0.0.1', port: port(e) };
      if (to === 'probe' && e.redirectProbe)
        return { host: '127.0.0.1', port: Number(new URL(e.redirectProbe.url).port) };
      return { host: '127.0.0.1', port: 1 }; // ECONNREFUSED
    },
  };
}

const input = {
  email: MAILBOX,
  host: 'ex01.contoso.example',
  username: 'CONTOSO\\anna',
  password: PASSWORD,
  caPem: null,
};

describe('connect: finding the EWS URL', () => {
  it('takes it from https://autodiscover.{domain} when the domain itself does not answer', async () => {
    const outcome = await testOnPremisesConnection(input, {
      network: network(emulator, { 'autodiscover.contoso.example:443': 'https' }),
    });
    expect(outcome).toMatchObject({
      ok: true,
      discovered: 'pox',
      connection: { ewsUrl: emulator.ewsUrl, username: 'CONTOSO\\anna', auth: 'ntlm', caPem: null },
    });
  });

  it('follows the http redirect probe to https (the probe carries no credentials)', async () => {
    const before = emulator.redirectProbe?.requests.length ?? 0;
    const outcome = await testOnPremisesConnection(input, {
      network: network(emulator, {
        'autodiscover.contoso.example:80': 'probe',
        'ex01.contoso.example:443': 'https',
      }),
    });
    expect(outcome).toMatchObject({
      ok: true,
      discovered: 'redirect',
      connection: { ewsUrl: emulator.ewsUrl },
    });
    const probes = emulator.redirectProbe?.requests.slice(before) ?? [];
    expect(probes).toEqual([{ method: 'GET', path: '/autodiscover/autodiscover.xml', authorization: false }]);
  });

  it.each([
    ['to http', 'http://ex01.contoso.example/autodiscover/autodiscover.xml'],
    ['out of the domains the user gave', 'https://evil.example/autodiscover/autodiscover.xml'],
  ])('does not follow a redirect %s', async (_name, location) => {
    const probe = await startRedirectProbe({ location: () => location });
    try {
      const base = network(emulator, { 'ex01.contoso.example:443': 'https', 'evil.example:443': 'https' });
      const outcome = await testOnPremisesConnection(input, {
        network: {
          ...base,
          address: (host, p) =>
            host === 'autodiscover.contoso.example' && p === 80
              ? { host: '127.0.0.1', port: Number(new URL(probe.url).port) }
              : base.address(host, p),
        },
      });
      expect(probe.requests).toHaveLength(1);
      expect(outcome).toMatchObject({ ok: true, discovered: 'fallback' });
    } finally {
      await probe.stop();
    }
  });

  it('uses the SRV record _autodiscover._tcp.{domain} when the POX URLs and the probe fail', async () => {
    const outcome = await testOnPremisesConnection(
      { ...input, host: 'unused.contoso.example' },
      {
        network: network(
          emulator,
          { 'ex01.contoso.example:443': 'https' },
          {
            '_autodiscover._tcp.contoso.example': [
              { name: 'ex01.contoso.example', port: 443, priority: 0, weight: 0 },
            ],
          },
        ),
      },
    );
    expect(outcome).toMatchObject({ ok: true, discovered: 'srv', connection: { ewsUrl: emulator.ewsUrl } });
  });

  it('asks again for the address a redirectAddr answer names (Action (POX), RedirectAddr (POX))', async () => {
    const outcome = await testOnPremisesConnection(
      { ...input, email: 'alt@contoso.example' },
      { network: network(emulator, { 'autodiscover.contoso.example:443': 'https' }) },
    );
    expect(outcome).toMatchObject({ ok: true, discovered: 'pox', connection: { ewsUrl: emulator.ewsUrl } });
  });

  it('stops a redirectUrl loop and falls back to the typed host', async () => {
    const outcome = await testOnPremisesConnection(
      { ...input, email: 'loop@contoso.example' },
      {
        network: network(emulator, {
          'autodiscover.contoso.example:443': 'https',
          'ex01.contoso.example:443': 'https',
        }),
      },
    );
    expect(outcome).toMatchObject({ ok: true, discovered: 'fallback' });
  });

  it('falls back to https://{host}/EWS/Exchange.asmx', async () => {
    const outcome = await testOnPremisesConnection(input, {
      network: network(emulator, { 'ex01.contoso.example:443': 'https' }),
    });
    expect(outcome).toMatchObject({
      ok: true,
      discovered: 'fallback',
      connection: { ewsUrl: 'https://ex01.contoso.example/EWS/Exchange.asmx' },
    });
  });
});

describe('connect: the outcomes a user is told', () => {
  const direct = () => network(emulator, { 'ex01.contoso.example:443': 'https' });

  it('a wrong password is named as such', async () => {
    const outcome = await testOnPremisesConnection({ ...input, password: 'wrong' }, { network: direct() });
    expect(outcome).toMatchObject({ ok: false, code: 'EwsWrongPassword' });
    expect(JSON.stringify(outcome)).not.toContain('wrong"');
  });

  it('an unreachable host is named as such', async () => {
    const outcome = await testOnPremisesConnection(
      { ...input, host: 'nowhere.contoso.example' },
      { network: direct(), timeoutMs: 3000 },
    );
    expect(outcome).toMatchObject({ ok: false, code: 'EwsHostUnreachable', host: 'nowhere.contoso.example' });
  });

  it('a UPN login works as well as DOMAIN\\user', async () => {
    const outcome = await testOnPremisesConnection(
      { ...input, username: 'anna@contoso.example' },
      { network: direct() },
    );
    expect(outcome).toMatchObject({ ok: true, connection: { username: 'anna@contoso.example' } });
  });
});

describe('connect: certificates and schemes', () => {
  let untrusted: RunningEwsEmulator;
  let basic: RunningEwsEmulator;
  beforeAll(async () => {
    untrusted = await startEwsEmulator({
      tlsDir: inject('tlsDir'),
      port: 0,
      hostnames: HOSTS,
      certificate: 'untrusted',
    });
    basic = await startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0, hostnames: HOSTS, auth: 'basic' });
    seed(untrusted);
    seed(basic);
  });
  afterAll(async () => {
    await untrusted.stop();
    await basic.stop();
  });

  it('a certificate from an unknown CA is named, and no request (so no credential) reached the server', async () => {
    const outcome = await testOnPremisesConnection(input, {
      network: network(untrusted, {
        'ex01.contoso.example:443': 'https',
        'autodiscover.contoso.example:443': 'https',
      }),
    });
    expect(outcome).toMatchObject({ ok: false, code: 'EwsBadCertificate', host: 'ex01.contoso.example' });
    expect(untrusted.admin.log).toEqual([]);
  });

  it("the account's CA PEM makes that server trusted, for this account only", async () => {
    const withCa = await testOnPremisesConnection(
      { ...input, caPem: untrusted.caPem },
      { network: network(untrusted, { 'ex01.contoso.example:443': 'https' }) },
    );
    expect(withCa).toMatchObject({ ok: true, connection: { caPem: untrusted.caPem } });
    // The next account without it is refused again: the PEM was not added process-wide.
    const without = await testOnPremisesConnection(input, {
      network: network(untrusted, { 'ex01.contoso.example:443': 'https' }),
    });
    expect(without).toMatchObject({ ok: false, code: 'EwsBadCertificate' });
  });

  it("picks Basic when the server's WWW-Authenticate offers only Basic", async () => {
    const outcome = await testOnPremisesConnection(input, {
      network: network(basic, { 'ex01.contoso.example:443': 'https' }),
    });
    expect(outcome).toMatchObject({ ok: true, connection: { auth: 'basic' } });
  });
});
