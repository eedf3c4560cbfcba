import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts/account.js';
import type { OnPremisesConnection } from '../../../shared/accounts/on-premises.js';
import { EwsThrottledError } from '../../../shared/adapters/ews/classify-ews-error.js';
import type { ExchangeContacts } from '../../../shared/ports.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { AccountRouter } from '../../../shared/sync/exchange-router.js';
import { pollOffsetMs } from '../../../shared/sync/poll-schedule.js';
import { enqueuePolls, enqueueSubscriptionRenewal } from '../../../shared/sync/timer-jobs.js';
import { FakeExchangeContacts } from '../../fakes/exchange-contacts.js';
import { World } from './support/world.js';

/**
 * Accounts on their own Exchange server (EWS) beside Microsoft 365 ones (issue 18 items 2, 6):
 * each account's work runs on its own adapter; the polled ones get their delta rounds from the
 * polling timer and no subscription work; a busy server's BackOffMilliseconds moves the
 * account's run to the end of the wait.
 */

const CONNECTION: OnPremisesConnection = {
  ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
  username: 'FIRMA\\anna',
  auth: 'ntlm',
  caPem: null,
  secretName: 'acct-ews-1',
};

async function mixedWorld() {
  const world = new World();
  const ews = new FakeExchangeContacts(world.clock, 5, 'ews');
  world.deps.exchangeFor = (a) => (a.provider === 'onPremises' ? ews : world.exchange);
  await world.addAccount({ id: 'm365', email: 'max@example.de', userId: 'max@example.de' });
  const onPrem: Partial<Account> = {
    id: 'ews-1',
    email: 'anna@firma.example',
    userId: 'anna@firma.example',
    provider: 'onPremises',
    tenantId: null,
    onPremises: CONNECTION,
  };
  await world.addAccount(onPrem);
  ews.addMailbox('anna@firma.example');
  world.inbox.length = 0;
  return { world, ews };
}

/** The polling timer run every 30 s for `seconds`, from the world's clock. */
async function runTimer(world: World, seconds: number) {
  const sent: { at: number; message: QueueMessage & { accountId?: string } }[] = [];
  for (let t = 0; t < seconds; t += 30) {
    const now = world.clock.now();
    await enqueuePolls(world.deps, { since: new Date(now.getTime() - 30_000) });
    sent.push(...world.queue.sent.splice(0).map((s) => ({ at: now.getTime(), message: s.message })));
    world.clock.advance(30_000 - 1000);
  }
  return sent;
}

describe('polled (EWS) and pushed (Graph) accounts side by side', () => {
  it('works on each account with its own adapter: the Graph fake never sees the EWS mailbox', async () => {
    const { world, ews } = await mixedWorld();
    ews.userCreate('anna@firma.example', { givenName: 'Olga', surname: 'Outlook' });
    world.exchange.userCreate('max@example.de', { givenName: 'Max', surname: 'Graph' });
    world.inbox.length = 0;
    await world.run(world.task('connect', 'm365'));
    await world.run(world.task('connect', 'ews-1'));
    expect(
      world.crm
        .all()
        .map((c) => [c.lastName, c.syncAccounts])
        .sort(),
    ).toEqual([
      ['Graph', ['m365']],
      ['Outlook', ['ews-1']],
    ]);
    expect((await world.account('m365')).subscription).not.toBeNull();
    expect((await world.account('ews-1')).subscription).toBeNull();
    expect(ews.hooks.count('createSubscription')).toBe(0);
  });

  it('the polling timer queues a delta round for each polled account once per interval, never for Graph', async () => {
    const { world } = await mixedWorld();
    const sent = await runTimer(world, 240);
    expect(sent.map(({ message: m }) => [m.kind, m.accountId])).toEqual([
      ['exchangeChanged', 'ews-1'],
      ['exchangeChanged', 'ews-1'],
    ]);
    expect(pollOffsetMs('ews-1', 120_000)).toBeLessThan(120_000);
  });

  it('the renewal timer makes no subscription for a polled account', async () => {
    const { world } = await mixedWorld();
    await enqueueSubscriptionRenewal(world.deps);
    const tasks = world.queue.sent
      .splice(0)
      .map((s) => ('accountId' in s.message ? s.message.accountId : ''));
    expect(tasks).toEqual(['m365']);
  });

  it('ErrorServerBusy: the run is skipped, not retried, and rescheduled after BackOffMilliseconds', async () => {
    const { world, ews } = await mixedWorld();
    ews.userCreate('anna@firma.example', { givenName: 'Olga', surname: 'Outlook' });
    const delta = ews.delta.bind(ews);
    let busy = true;
    ews.delta = (...args: Parameters<ExchangeContacts['delta']>) => {
      if (busy) throw new EwsThrottledError('SyncFolderItems: ErrorServerBusy', 90_000);
      return delta(...args);
    };
    const result = await world.run(world.exchangeChanged('ews-1'));
    expect(result.outcome).toBe('skipped');
    const until = (await world.account('ews-1')).status.backOffUntil;
    expect(Date.parse(until ?? '')).toBeGreaterThan(world.clock.now().getTime() + 80_000);
    busy = false;
    // Within the wait the timer leaves the account alone; after it, both sides are polled.
    const sent = await runTimer(world, 150);
    const polls = sent.filter((m) => m.message.accountId === 'ews-1');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]?.message).toMatchObject({ kind: 'reconcile', full: false });
    expect(polls[0]?.at).toBeGreaterThanOrEqual(Date.parse(until ?? ''));
    expect(polls[0]?.at).toBeLessThan(Date.parse(until ?? '') + 30_000); // the first run after the wait
    await world.run(polls[0]!.message);
    expect((await world.account('ews-1')).status.backOffUntil).toBeNull();
    expect(world.crm.all().map((c) => c.lastName)).toEqual(['Outlook']);
  });

  it('a CRM push the busy server refused is still redone after the wait when other work got through meanwhile', async () => {
    const { world, ews } = await mixedWorld();
    const create = ews.create.bind(ews);
    let busy = true;
    ews.create = (...args: Parameters<ExchangeContacts['create']>) => {
      if (busy) throw new EwsThrottledError('CreateItem: ErrorServerBusy', 90_000);
      return create(...args);
    };
    const refused = world.crm.tag(
      world.crm.userCreate({ firstName: 'Rita', lastName: 'Refused' }).id,
      'ews-1',
    );
    expect((await world.run(world.crmChanged(refused.id, refused.version, 'ews-1'))).outcome).toBe('skipped');
    const until = Date.parse((await world.account('ews-1')).status.backOffUntil ?? '');
    // Within the wait another CRM event's push gets through (the server is not busy any more).
    busy = false;
    const other = world.crm.tag(world.crm.userCreate({ firstName: 'Otto', lastName: 'Other' }).id, 'ews-1');
    expect((await world.run(world.crmChanged(other.id, other.version, 'ews-1'))).outcome).toBe('done');
    // The refused push is not forgotten until the nightly full reconcile: after the wait the
    // timer's run polls both sides.
    const after = (await runTimer(world, 150)).filter((m) => m.message.accountId === 'ews-1');
    expect(after[0]?.message).toMatchObject({ kind: 'reconcile', full: false });
    expect(after[0]?.at).toBeGreaterThanOrEqual(until);
    await world.run(after[0]!.message);
    expect(
      ews
        .all('anna@firma.example')
        .map((c) => c.surname)
        .sort(),
    ).toEqual(['Other', 'Refused']);
    expect((await world.account('ews-1')).status.backOffUntil).toBeNull();
  });

  it('a Graph account that is throttled keeps the queue retry (its adapter waited out Retry-After)', async () => {
    const { world } = await mixedWorld();
    world.exchange.hooks.failNext('delta', 'throttled');
    await expect(world.run(world.exchangeChanged('m365'))).rejects.toMatchObject({ kind: 'throttled' });
    expect((await world.account('m365')).status.backOffUntil).toBeUndefined();
  });
});

describe('AccountRouter', () => {
  const graph = { name: 'graph' };
  function router() {
    const built: { name: string; closed: boolean }[] = [];
    const r = new AccountRouter<{ name: string }>({
      graph,
      onPremises: (account, c) => {
        const adapter = { name: `ews:${account.id}:${c.ewsUrl}:${built.length}` };
        built.push({ name: adapter.name, closed: false });
        return adapter;
      },
      close: (adapter) => {
        const entry = built.find((b) => adapter.name === b.name);
        if (entry) entry.closed = true;
      },
    });
    return { r, built };
  }
  const base = { id: 'a', provider: 'onPremises', onPremises: CONNECTION } as Account;

  it('serves Microsoft 365 accounts the one Graph adapter, and builds one adapter per on-premises account', () => {
    const { r, built } = router();
    expect(r.for({ ...base, id: 'g', provider: 'microsoft365', onPremises: null })).toBe(graph);
    const first = r.for(base);
    expect(r.for({ ...base })).toBe(first); // cached: one transport per mailbox
    expect(r.for({ ...base, id: 'b' })).not.toBe(first);
    expect(built).toHaveLength(2);
    expect(r.size).toBe(2);
  });

  it('builds the adapter again, closing the old one, when the connection settings change', () => {
    const { r, built } = router();
    const first = r.for(base);
    const moved = r.for({
      ...base,
      onPremises: { ...CONNECTION, ewsUrl: 'https://neu.firma.example/EWS/Exchange.asmx' },
    });
    expect(moved).not.toBe(first);
    expect(built.map((b) => b.closed)).toEqual([true, false]);
    r.for({
      ...base,
      onPremises: { ...CONNECTION, ewsUrl: 'https://neu.firma.example/EWS/Exchange.asmx', secretName: 'x2' },
    });
    expect(built.map((b) => b.closed)).toEqual([true, true, false]);
    r.close();
    expect(built.every((b) => b.closed)).toBe(true);
  });
});
