import { describe, expect, it } from 'vitest';
import { accountSecretName } from '../../../shared/adapters/secrets/index.js';
import { connectedAccount, storeConnected } from '../../../shared/service/connect-on-premises.js';
import { registerAccount } from '../../../shared/service/register-account.js';
import { removeAccount } from '../../../shared/service/remove-account.js';
import { World } from '../sync/support/world.js';

async function registered(world: World, syncVersion: 'v2' | 'v3' = 'v3') {
  const result = await registerAccount(world.deps, { email: 'anna@firma.example', syncVersion });
  if (!result.ok) throw new Error('register failed');
  const stored = await world.deps.accounts.get(result.account.id);
  if (!stored) throw new Error('gone');
  return stored;
}

const link = (accountId: string, n: number) => ({
  accountId,
  linkId: `link-${n}`,
  crmId: `crm-${n}`,
  exchangeId: `ex-${n}`,
  exchangeFolderId: 'folder',
});

describe('removing an account', () => {
  it('deletes the account row, its subscription in Graph and its mirror links', async () => {
    const world = new World();
    const stored = await registered(world);
    const subscriptionId = 'sub-remove-1';
    world.exchange.subscriptionsById.set(subscriptionId, {
      id: subscriptionId,
      expirationDateTime: '2025-03-05T08:00:00.000Z',
    } as never);
    const withSub = {
      ...stored.value,
      subscription: { id: subscriptionId, expirationDateTime: '2025-03-05T08:00:00.000Z', clientState: 'cs' },
    } as never;
    const etag = await world.deps.accounts.put(withSub, stored.etag);
    for (const n of [1, 2, 3]) await world.deps.mirror.put(link(stored.value.id, n) as never, null);

    const result = await removeAccount(world.deps, stored.value.id);

    expect(result).toEqual({ removed: true, links: 3 });
    expect(etag).toBeTruthy();
    expect(await world.deps.accounts.get(stored.value.id)).toBeNull();
    expect(world.exchange.subscriptionsById.has(subscriptionId)).toBe(false);
    const left = [];
    for await (const l of world.deps.mirror.list(stored.value.id)) left.push(l);
    expect(left).toEqual([]);
  });

  it('is fine when Graph no longer has the subscription', async () => {
    const world = new World();
    const stored = await registered(world);
    const withSub = {
      ...stored.value,
      subscription: { id: 'sub-gone', expirationDateTime: '2025-03-05T08:00:00.000Z', clientState: 'cs' },
    } as never;
    await world.deps.accounts.put(withSub, stored.etag);
    expect(await removeAccount(world.deps, stored.value.id)).toEqual({ removed: true, links: 0 });
    expect(await world.deps.accounts.get(stored.value.id)).toBeNull();
  });

  it("deletes an on-premises account's password from the SecretStore", async () => {
    const world = new World();
    const stored = await registered(world, 'v2');
    const connected = connectedAccount(stored.value, {
      ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
      username: 'FIRMA\\anna',
      auth: 'ntlm',
      caPem: null,
    });
    await storeConnected(world.deps, connected, stored.etag, 'Geheim-1!', stored.value);
    const name = accountSecretName(stored.value.id);
    expect(await world.deps.secrets.get(name)).toBe('Geheim-1!');

    await removeAccount(world.deps, stored.value.id);

    expect(await world.deps.secrets.get(name)).toBeNull();
    expect(await world.deps.accounts.get(stored.value.id)).toBeNull();
  });

  it('a second removal finds nothing (idempotent)', async () => {
    const world = new World();
    const stored = await registered(world);
    await removeAccount(world.deps, stored.value.id);
    expect(await removeAccount(world.deps, stored.value.id)).toEqual({ removed: false, links: 0 });
  });

  it('keeps the CRM contacts', async () => {
    const world = new World();
    const stored = await registered(world);
    const before = await world.deps.crm.list();
    await removeAccount(world.deps, stored.value.id);
    expect((await world.deps.crm.list()).items.length).toBe(before.items.length);
  });
});

describe("an on-premises account's view", () => {
  it('shows the connection (EWS URL, login, auth, whether a CA is set), never the secret', async () => {
    const { accountView } = await import('../../../shared/service/account-view.js');
    const world = new World();
    const stored = await registered(world, 'v2');
    const connected = connectedAccount(stored.value, {
      ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
      username: 'FIRMA\\anna',
      auth: 'ntlm',
      caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    });
    await storeConnected(world.deps, connected, stored.etag, 'Geheim-1!', stored.value);
    const view = await accountView(world.deps, connected);
    expect(view.onPremises).toEqual({
      ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
      username: 'FIRMA\\anna',
      auth: 'ntlm',
      caSet: true,
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain('Geheim-1!');
    expect(text).not.toContain(accountSecretName(stored.value.id));
    expect((await accountView(world.deps, stored.value)).onPremises).toBeNull();
  });
});
