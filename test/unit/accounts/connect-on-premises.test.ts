import { describe, expect, it } from 'vitest';
import type { ConnectInput, ConnectOutcome } from '../../../shared/adapters/ews/connect.js';
import { accountSecretName } from '../../../shared/adapters/secrets/index.js';
import { SyncError } from '../../../shared/errors.js';
import {
  connectExisting,
  connectedAccount,
  forgetOnPremises,
} from '../../../shared/service/connect-on-premises.js';
import { migrateAccount } from '../../../shared/service/migrate-account.js';
import { registerAccount } from '../../../shared/service/register-account.js';
import { World } from '../sync/support/world.js';

const CONNECTION = {
  ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
  username: 'FIRMA\\anna',
  auth: 'ntlm' as const,
  caPem: null,
};
const FORM = { host: 'mail.firma.example', username: 'FIRMA\\anna', password: 'Geheim-1!', caPem: null };
const ok = async (): Promise<ConnectOutcome> => ({ ok: true, connection: CONNECTION, discovered: 'pox' });
const wrong = async (): Promise<ConnectOutcome> => ({
  ok: false,
  code: 'EwsWrongPassword',
  message: 'Exchange at mail.firma.example did not accept the user name or password.',
  host: 'mail.firma.example',
});

async function v2Account(world: World) {
  const result = await registerAccount(world.deps, { email: 'anna@firma.example', syncVersion: 'v2' });
  if (!result.ok) throw new Error('register failed');
  const stored = await world.deps.accounts.get(result.account.id);
  if (!stored) throw new Error('gone');
  return stored;
}

describe('connecting an existing account', () => {
  it('stores nothing when the connect test fails', async () => {
    const world = new World();
    const stored = await v2Account(world);
    const enqueued: string[] = [];
    const result = await connectExisting(world.deps, wrong, stored, FORM, async (id) => {
      enqueued.push(id);
    });
    expect(result).toMatchObject({ ok: false, code: 'EwsWrongPassword' });
    expect((await world.deps.accounts.get(stored.value.id))?.etag).toBe(stored.etag);
    expect(world.secrets.values.size).toBe(0);
    expect(enqueued).toEqual([]);
  });

  it('stores the password as the secret, the account as onPremises / V3, then enqueues connect', async () => {
    const world = new World();
    const stored = await v2Account(world);
    const seen: ConnectInput[] = [];
    const enqueued: string[] = [];
    const result = await connectExisting(
      world.deps,
      async (input) => {
        seen.push(input);
        return ok();
      },
      stored,
      FORM,
      async (id) => {
        enqueued.push(id);
      },
    );
    expect(seen).toEqual([{ email: 'anna@firma.example', ...FORM }]);
    expect(result.ok).toBe(true);
    const after = await world.deps.accounts.get(stored.value.id);
    expect(after?.value).toMatchObject({
      provider: 'onPremises',
      syncVersion: 'v3',
      onPremises: { ...CONNECTION, secretName: accountSecretName(stored.value.id) },
    });
    expect(JSON.stringify(after?.value)).not.toContain(FORM.password);
    expect(world.secrets.values.get(accountSecretName(stored.value.id))).toBe(FORM.password);
    expect(enqueued).toEqual([stored.value.id]);
  });

  it('takes the secret back when the account cannot be written (a stale etag)', async () => {
    const world = new World();
    const stored = await v2Account(world);
    await world.deps.accounts.put({ ...stored.value, defaultCountry: 'AT' }, stored.etag); // someone else wrote
    const attempt = connectExisting(world.deps, ok, stored, FORM, async () => undefined);
    await expect(attempt).rejects.toBeInstanceOf(SyncError);
    expect(world.secrets.values.size).toBe(0);
    expect((await world.deps.accounts.get(stored.value.id))?.value.provider).not.toBe('onPremises');
  });
});

describe('registering an on-premises account', () => {
  it('registers nothing when the connect test fails', async () => {
    const world = new World();
    const result = await registerAccount(
      world.deps,
      { email: 'neu@firma.example', syncVersion: 'v3', provider: 'onPremises', onPremises: FORM },
      { connectOnPremises: wrong },
    );
    expect(result).toMatchObject({ ok: false, status: 422, code: 'EwsWrongPassword' });
    const all = [];
    for await (const a of world.deps.accounts.list()) all.push(a);
    expect(all).toEqual([]);
    expect(world.secrets.values.size).toBe(0);
  });

  it('registers the account connected, its password only in the secret store', async () => {
    const world = new World();
    const result = await registerAccount(
      world.deps,
      { email: 'neu@firma.example', syncVersion: 'v3', provider: 'onPremises', onPremises: FORM },
      { connectOnPremises: ok },
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.account).toMatchObject({ provider: 'onPremises', onPremises: CONNECTION });
    expect(JSON.stringify(result.account)).not.toContain(FORM.password);
    expect(world.secrets.values.get(accountSecretName(result.account.id))).toBe(FORM.password);
  });
});

describe('leaving on-premises Exchange', () => {
  it('deletes the secret and drops the connection', async () => {
    const world = new World();
    const stored = await v2Account(world);
    const account = connectedAccount(stored.value, CONNECTION);
    await world.secrets.set(accountSecretName(account.id), 'x');
    const left = await forgetOnPremises(world.deps, account);
    expect(left.onPremises).toBeNull();
    expect(world.secrets.values.size).toBe(0);
  });
});

describe('migrating an on-premises account to Microsoft 365', () => {
  it('writes the account without its connection, then deletes the secret', async () => {
    const world = new World();
    world.exchange.addMailbox('anna@firma.example');
    const stored = await v2Account(world);
    await connectExisting(world.deps, ok, stored, FORM, async () => undefined);
    const connected = await world.deps.accounts.get(stored.value.id);
    if (!connected) throw new Error('gone');
    const env = {
      resolver: { resolveMx: async () => [] },
      graphApp: { tenantId: 't', clientId: 'c', authorityHost: 'https://login.example' },
      publicBaseUrl: 'https://sync.example',
    };
    const result = await migrateAccount(world.deps, env, connected, { provider: 'microsoft365' });
    expect(result.kind).toBe('migrated');
    const after = await world.deps.accounts.get(stored.value.id);
    expect(after?.value).toMatchObject({ provider: 'microsoft365', onPremises: null });
    expect(world.secrets.values.size).toBe(0);
  });
});
