import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningEwsEmulator, startEwsEmulator } from '../../../local/emulators/ews/index.js';
import { accountSecretName } from '../../../shared/adapters/secrets/index.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

/**
 * Issue 18 items 4 and 5 on the whole local stack: an on-premises account is connected through
 * `POST /api/accounts/{id}/migrate` (and registered through `POST /api/accounts`) with host,
 * user name and password. A wrong password, an unreachable host and a bad certificate each get
 * their 422 with a code naming which, and store nothing (no account change, no secret). On
 * success the password is in the SecretStore (encrypted at rest in Azurite), the account is
 * onPremises / V3 with its connection, and the password is in no API answer and no log line.
 *
 * The e-mail domain does not resolve, so Autodiscover (POX on the domain and autodiscover.,
 * the http redirect probe, SRV) finds nothing and the typed host's /EWS/Exchange.asmx is used
 * ("Generate a list of Autodiscover endpoints", learn.microsoft.com/exchange/client-developer/
 * exchange-web-services/how-to-generate-a-list-of-autodiscover-endpoints).
 */
const PASSWORD = `Ews-${randomBytes(9).toString('base64url')}`;
const EMAIL = 'max.makler@onprem-mueller.example';
const LOGIN = 'MUELLER\\max';
let stack: TestStack;
let ews: RunningEwsEmulator;
let untrusted: RunningEwsEmulator;
const responses: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ settings: { SECRETS_KEY: randomBytes(32).toString('hex') } });
  [ews, untrusted] = await Promise.all([
    startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 }),
    startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0, certificate: 'untrusted' }),
  ]);
  for (const e of [ews, untrusted])
    e.admin.createMailbox({ smtp: EMAIL, user: 'max', domain: 'MUELLER', password: PASSWORD });
});
afterAll(async () => {
  await Promise.all([ews?.stop(), untrusted?.stop()]);
  await stack?.stop();
});

const hostOf = (e: RunningEwsEmulator) => new URL(e.url).host;

async function call(method: string, path: string, body?: unknown) {
  const response = await stack.api(method, path, body);
  responses.push(response.text);
  return response;
}

async function registerV2(email: string): Promise<string> {
  const response = await call('POST', '/api/accounts', { email, syncVersion: 'v2' });
  expect(response.status, response.text).toBe(201);
  return (response.json as { id: string }).id;
}

const migrate = (id: string, body: Record<string, unknown>) =>
  call('POST', `/api/accounts/${id}/migrate`, { provider: 'onPremises', username: LOGIN, ...body });

describe('connecting an on-premises account through the migrate API', () => {
  let id: string;
  beforeAll(async () => {
    id = await registerV2(EMAIL);
  });

  it.each([
    ['a wrong password', () => ({ host: hostOf(ews), password: 'falsch' }), 'EwsWrongPassword', /password/],
    [
      'an unreachable host',
      () => ({ host: '127.0.0.1:1', password: PASSWORD }),
      'EwsHostUnreachable',
      /reached/,
    ],
    [
      'a certificate from an unknown CA',
      () => ({ host: hostOf(untrusted), password: PASSWORD }),
      'EwsBadCertificate',
      /certificate .* not trusted/,
    ],
  ])('%s: 422 naming it, and nothing stored', async (_name, body, code, message) => {
    const before = await stack.runtime.deps.accounts.get(id);
    const response = await migrate(id, body());
    expect(response.status, response.text).toBe(422);
    expect(response.json).toMatchObject({ state: 'onPremisesConnectFailed', code });
    expect((response.json as { message: string }).message).toMatch(message);
    const after = await stack.runtime.deps.accounts.get(id);
    expect(after?.etag).toBe(before?.etag);
    expect(after?.value.provider).not.toBe('onPremises');
    expect(await stack.runtime.deps.secrets.get(accountSecretName(id))).toBeNull();
  });

  it('the bad certificate was refused before any request reached that server', () => {
    expect(untrusted.admin.log).toEqual([]);
  });

  it('a malformed CA PEM is a 400 naming the field', async () => {
    const response = await migrate(id, { host: hostOf(ews), password: PASSWORD, caPem: 'kein Zertifikat' });
    expect(response.status, response.text).toBe(400);
    expect(response.text).toContain('caPem');
  });

  it("connects with the right password (and the server's CA): onPremises, V3, the password in the SecretStore only", async () => {
    const response = await migrate(id, {
      host: hostOf(untrusted),
      password: PASSWORD,
      caPem: untrusted.caPem,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({ id, syncVersion: 'v3', provider: 'onPremises' });
    const stored = await stack.runtime.deps.accounts.get(id);
    expect(stored?.value).toMatchObject({
      provider: 'onPremises',
      syncVersion: 'v3',
      onPremises: {
        ewsUrl: `${untrusted.url}/EWS/Exchange.asmx`,
        username: LOGIN,
        auth: 'ntlm',
        caPem: untrusted.caPem,
        secretName: accountSecretName(id),
      },
    });
    expect(JSON.stringify(stored?.value)).not.toContain(PASSWORD);
    expect(await stack.runtime.deps.secrets.get(accountSecretName(id))).toBe(PASSWORD);
  });
});

describe('registering an on-premises account', () => {
  it('a wrong password registers nothing', async () => {
    const email = 'anna@onprem-mueller.example';
    ews.admin.createMailbox({ smtp: email, user: 'anna', domain: 'MUELLER', password: PASSWORD });
    const response = await call('POST', '/api/accounts', {
      email,
      syncVersion: 'v3',
      provider: 'onPremises',
      onPremises: { host: hostOf(ews), username: 'MUELLER\\anna', password: 'nope' },
    });
    expect(response.status, response.text).toBe(422);
    expect(response.text).toContain('EwsWrongPassword');
    const list = await call('GET', '/api/accounts');
    expect(list.text).not.toContain(email);
  });

  it('the right one registers it connected', async () => {
    const response = await call('POST', '/api/accounts', {
      email: 'anna@onprem-mueller.example',
      syncVersion: 'v3',
      provider: 'onPremises',
      onPremises: { host: hostOf(ews), username: 'anna@onprem-mueller.example', password: PASSWORD },
    });
    expect(response.status, response.text).toBe(201);
    const { id } = response.json as { id: string };
    expect((await stack.runtime.deps.accounts.get(id))?.value.onPremises).toMatchObject({
      ewsUrl: ews.ewsUrl,
      username: 'anna@onprem-mueller.example',
    });
    expect(await stack.runtime.deps.secrets.get(accountSecretName(id))).toBe(PASSWORD);
  });
});

describe('the password stays secret', () => {
  it('is in no API answer and no host log line', async () => {
    const list = await call('GET', '/api/accounts');
    expect(list.status).toBe(200);
    for (const text of responses) expect(text).not.toContain(PASSWORD);
    for (const line of stack.logs) expect(line).not.toContain(PASSWORD);
  });

  it('is encrypted at rest: the secrets table holds no clear text', async () => {
    const { TableClient } = await import('@azure/data-tables');
    const table = TableClient.fromConnectionString(stack.env.STORAGE_CONNECTION ?? '', 'secrets', {
      allowInsecureConnection: true,
    });
    let rows = 0;
    for await (const row of table.listEntities()) {
      rows += 1;
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
    }
    expect(rows).toBeGreaterThanOrEqual(2);
  });
});
