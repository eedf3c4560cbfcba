import { describe, expect, it } from 'vitest';
import { REMOVAL_STEPS } from '../../../shared/accounts/account.js';
import { accountSecretName } from '../../../shared/adapters/secrets/index.js';
import { accountView } from '../../../shared/service/account-view.js';
import { connectedAccount, storeConnected } from '../../../shared/service/connect-on-premises.js';
import { migrateAccount } from '../../../shared/service/migrate-account.js';
import { registerAccount } from '../../../shared/service/register-account.js';
import {
  isRemovalTask,
  type RemovalMessage,
  requestRemoval,
  runRemoval,
} from '../../../shared/service/remove-account.js';
import type { ContactLink, LogEntry } from '../../../shared/sync/link.js';
import { enqueueReconcile } from '../../../shared/sync/timer-jobs.js';
import { World } from '../sync/support/world.js';

/**
 * Removing an account (issue 18 item 5): the request marks it `removing` and queues the task;
 * the task removes subscriptions, links, mail state, the action log, the secret and last the
 * row, in pages, going on after any crash; Outlook and the CRM keep every contact.
 */
async function registered(world: World, syncVersion: 'v2' | 'v3' = 'v3') {
  const result = await registerAccount(world.deps, { email: 'anna@firma.example', syncVersion });
  if (!result.ok) throw new Error('register failed');
  world.queue.sent.splice(0);
  return result.account.id;
}

const link = (accountId: string, n: number): ContactLink =>
  ({
    accountId,
    linkId: `link-${n}`,
    crmId: `crm-${n}`,
    exchangeId: `ex-${n}`,
    exchangeFolderId: 'folder',
  }) as never;

const entry = (n: number): LogEntry => ({
  contactKey: `crm:crm-${n}`,
  at: '2025-03-01T08:00:00.000Z',
  level: 'info',
  action: 'created',
  detail: `entry ${n}`,
});

async function links(world: World, accountId: string): Promise<number> {
  let n = 0;
  for await (const _ of world.deps.mirror.list(accountId)) n++;
  return n;
}

/** The removal tasks the request (or a task) queued; taken off the queue. */
function queuedRemovals(world: World): RemovalMessage[] {
  return world.queue.take('exchange-to-crm').filter(isRemovalTask);
}

/** Runs removal tasks as the queue would: each queued one (and a redelivery when it throws). */
async function drainRemovals(world: World, accountId: string, options = {}): Promise<number> {
  let runs = 0;
  let pending = queuedRemovals(world);
  while (pending.length > 0) {
    for (const _ of pending.splice(0)) {
      runs++;
      await runRemoval(world.deps, accountId, options);
    }
    pending = queuedRemovals(world);
    if (runs > 200) throw new Error('the removal does not end');
  }
  return runs;
}

describe('asking to remove an account', () => {
  it('marks it removing (shown in its status) and queues one removal task; asking again keeps the mark', async () => {
    const world = new World();
    const id = await registered(world);
    const marked = await requestRemoval(world.deps, id);
    expect(marked?.removal).toEqual({
      state: 'removing',
      requestedAt: expect.any(String),
      step: 'subscriptions',
    });
    const stored = await world.deps.accounts.get(id);
    expect(stored?.value.removal?.state).toBe('removing');
    expect((await accountView(world.deps, stored?.value as never)).removal).toEqual({
      state: 'removing',
      requestedAt: marked?.removal?.requestedAt,
      step: 'subscriptions',
    });
    const [task, ...more] = queuedRemovals(world);
    expect(more).toEqual([]);
    expect(task).toMatchObject({ kind: 'accountTask', task: 'remove', accountId: id, sessionKey: id });
    world.clock.advance(60_000);
    await requestRemoval(world.deps, id);
    expect((await world.deps.accounts.get(id))?.value.removal?.requestedAt).toBe(
      marked?.removal?.requestedAt,
    );
    expect(queuedRemovals(world)).toHaveLength(1);
    expect(await requestRemoval(world.deps, 'no-such-account')).toBeNull();
  });

  it('stops the sync: a removing account is skipped by every sync message, nothing is written', async () => {
    const world = new World();
    const account = await world.addAccount();
    const mailbox = account.userId;
    world.exchange.userCreate(mailbox, { givenName: 'Olga', surname: 'Neu' });
    await requestRemoval(world.deps, account.id);
    world.queue.sent.splice(0);
    const before = (await world.deps.crm.list()).items.length;
    for (const message of [
      world.exchangeChanged(account.id),
      world.reconcile(account.id),
      world.task('resync', account.id),
    ]) {
      const result = await world.run(message);
      expect(result.outcome, message.kind).toBe('skipped');
      expect(result.reason).toMatch(/being removed/);
    }
    expect((await world.deps.crm.list()).items.length).toBe(before);
    expect(await links(world, account.id)).toBe(0);
  });

  it('is refused by the sync worker: a removal task belongs to the removal, never to a sync round', async () => {
    const world = new World();
    const account = await world.addAccount();
    await expect(world.run(world.task('remove', account.id))).rejects.toThrow(/remove-account/);
  });
});

describe('the removal task', () => {
  it('removes the Graph subscription, the links, the action log and the row; Outlook and the CRM keep every contact', async () => {
    const world = new World();
    const account = await world.addAccount();
    world.exchange.userCreate(account.userId, { givenName: 'Olga', surname: 'Neu' });
    world.inbox.push(world.task('connect', account.id));
    await world.drain();
    const connected = await world.account(account.id);
    const subscriptionId = connected.subscription?.id ?? '';
    expect(world.exchange.subscriptionsById.has(subscriptionId)).toBe(true);
    expect(await links(world, account.id)).toBe(1);
    await world.deps.mirror.appendLog(account.id, [entry(1), entry(2)]);
    const crmBefore = (await world.deps.crm.list()).items;
    const outlookBefore = world.exchange.all(account.userId);

    await requestRemoval(world.deps, account.id);
    expect(await drainRemovals(world, account.id)).toBe(1);

    expect(await world.deps.accounts.get(account.id)).toBeNull();
    expect(world.exchange.subscriptionsById.has(subscriptionId)).toBe(false);
    expect(await world.deps.accounts.findBySubscriptionId(subscriptionId)).toBeNull();
    expect(await links(world, account.id)).toBe(0);
    expect(await world.deps.mirror.readLog(account.id, 'crm:crm-1')).toEqual([]);
    expect((await world.deps.crm.list()).items).toEqual(crmBefore);
    expect(world.exchange.all(account.userId)).toEqual(outlookBefore);
    // A redelivered task finds nothing left to do.
    expect(await runRemoval(world.deps, account.id)).toMatchObject({ outcome: 'skipped' });
  });

  it("deletes an on-premises account's password from the SecretStore", async () => {
    const world = new World();
    const id = await registered(world, 'v2');
    const stored = await world.deps.accounts.get(id);
    if (!stored) throw new Error('gone');
    const connected = connectedAccount(stored.value, {
      ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
      username: 'FIRMA\\anna',
      auth: 'ntlm',
      caPem: null,
    });
    await storeConnected(world.deps, connected, stored.etag, 'Geheim-1!', stored.value);
    const name = accountSecretName(id);
    expect(await world.deps.secrets.get(name)).toBe('Geheim-1!');

    await requestRemoval(world.deps, id);
    await drainRemovals(world, id);

    expect(await world.deps.secrets.get(name)).toBeNull();
    expect(await world.deps.accounts.get(id)).toBeNull();
  });

  it('does nothing to an account that was not asked to be removed', async () => {
    const world = new World();
    const account = await world.addAccount();
    expect(await runRemoval(world.deps, account.id)).toMatchObject({ outcome: 'skipped' });
    expect(await world.deps.accounts.get(account.id)).not.toBeNull();
  });

  it('works in pages: a task that used its budget queues the next one, which goes on at its step', async () => {
    const world = new World();
    const account = await world.addAccount();
    for (let n = 0; n < 25; n++) await world.deps.mirror.put(link(account.id, n), null);
    await world.deps.mirror.appendLog(
      account.id,
      Array.from({ length: 12 }, (_, n) => entry(n)),
    );
    await requestRemoval(world.deps, account.id);

    const [first] = queuedRemovals(world);
    expect(first).toBeDefined();
    const partial = await runRemoval(world.deps, account.id, { pageSize: 10, pagesPerMessage: 2 });
    expect(partial.outcome).toBe('continued');
    expect(await links(world, account.id)).toBe(15); // the subscriptions took the first page
    expect((await world.deps.accounts.get(account.id))?.value.removal?.step).toBe('links');
    const runs = await drainRemovals(world, account.id, { pageSize: 10, pagesPerMessage: 2 });
    expect(runs).toBeGreaterThan(1);
    expect(await world.deps.accounts.get(account.id)).toBeNull();
    expect(await links(world, account.id)).toBe(0);
    expect(await world.deps.mirror.readLog(account.id, 'crm:crm-3')).toEqual([]);
  });

  it.each(['mirror.delete', 'mirror.pruneLog', 'secrets.delete', 'accounts.put', 'accounts.delete'])(
    'a task cut off at %s is delivered again and finishes the job',
    async (where) => {
      const world = new World();
      const id = await registered(world, 'v2');
      const stored = await world.deps.accounts.get(id);
      if (!stored) throw new Error('gone');
      const onPrem = connectedAccount(stored.value, {
        ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
        username: 'FIRMA\\anna',
        auth: 'ntlm',
        caPem: null,
      });
      await storeConnected(world.deps, onPrem, stored.etag, 'Geheim-1!', stored.value);
      for (let n = 0; n < 3; n++) await world.deps.mirror.put(link(id, n), null);
      await world.deps.mirror.appendLog(id, [entry(1)]);
      await requestRemoval(world.deps, id);
      const [port, method] = where.split('.') as ['mirror' | 'secrets' | 'accounts', string];
      const target = world.deps[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const original = target[method]?.bind(target);
      let cut = false;
      target[method] = async (...args: unknown[]) => {
        if (!cut) {
          cut = true;
          throw new Error(`process killed in ${where}`);
        }
        return original?.(...args);
      };

      await expect(runRemoval(world.deps, id)).rejects.toThrow(/process killed/);
      expect(await world.deps.accounts.get(id)).not.toBeNull();
      await drainRemovals(world, id); // the queue delivers the task again

      expect(cut).toBe(true);
      expect(await world.deps.accounts.get(id)).toBeNull();
      expect(await links(world, id)).toBe(0);
      expect(await world.deps.mirror.readLog(id, 'crm:crm-1')).toEqual([]);
      expect(await world.deps.secrets.get(accountSecretName(id))).toBeNull();
    },
  );

  it('cannot be undone by a migration: an account being removed is not connected again, nothing is stored', async () => {
    const world = new World();
    const id = await registered(world, 'v2');
    await requestRemoval(world.deps, id);
    const stored = await world.deps.accounts.get(id);
    if (!stored) throw new Error('gone');
    const env = {
      resolver: { resolveMx: async () => [] },
      graphApp: { tenantId: 't', clientId: 'c', authorityHost: 'https://login.example' },
      publicBaseUrl: 'https://sync.example',
      connectOnPremises: async () => {
        throw new Error('no connect test for an account being removed');
      },
    };
    for (const body of [
      { provider: 'microsoft365' as const },
      {
        provider: 'onPremises' as const,
        host: 'mail.firma.example',
        username: 'FIRMA\\anna',
        password: 'Geheim-1!',
      },
    ]) {
      const result = await migrateAccount(world.deps, env as never, stored, body);
      expect(result.kind).toBe('unsupported');
    }
    expect(world.secrets.values.size).toBe(0);
    expect((await world.deps.accounts.get(id))?.etag).toBe(stored.etag);
  });

  it('is queued again by the reconcile timer while the account is removing (a removal task lost to the dead-letter queue still finishes)', async () => {
    const world = new World({ shutdown: new Date('2020-01-01T00:00:00Z') });
    const removing = await world.addAccount({ id: 'acc-gone', syncVersion: 'v2' });
    const kept = await world.addAccount({ id: 'acc-kept', userId: 'kept@firma.example' });
    await requestRemoval(world.deps, removing.id);
    world.queue.sent.splice(0); // the request's task was lost

    await enqueueReconcile(world.deps);

    const sent = world.queue.take('exchange-to-crm');
    expect(sent.filter(isRemovalTask).map((m) => m.accountId)).toEqual([removing.id]);
    expect(sent.filter((m) => m.kind === 'reconcile').map((m) => m.accountId)).toEqual([kept.id]);
    await runRemoval(world.deps, removing.id);
    expect(await world.deps.accounts.get(removing.id)).toBeNull();
  });

  it('runs its steps in the documented order, the row last', () => {
    expect(REMOVAL_STEPS).toEqual(['subscriptions', 'links', 'mail', 'log', 'secret', 'row']);
  });
});

describe("an on-premises account's view", () => {
  it('shows the connection (EWS URL, login, auth, whether a CA is set), never the secret', async () => {
    const { accountView } = await import('../../../shared/service/account-view.js');
    const world = new World();
    const stored = await world.deps.accounts.get(await registered(world, 'v2'));
    if (!stored) throw new Error('gone');
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
