import { describe, expect, it } from 'vitest';
import type { OnPremisesConnection } from '../../../shared/accounts/on-premises.js';
import { enqueueMailPolls, enqueueMailRenewals } from '../../../shared/mail-sync/mail-jobs.js';
import { FakeExchangeContacts } from '../../fakes/exchange-contacts.js';
import { World } from '../../unit/sync/support/world.js';

/**
 * The mail of polled (EWS) accounts beside pushed (Graph) ones (issue 18 items 2 and 9): the
 * polling timer queues a delta mail round per polled account once per interval, at the
 * account's own slot, and never for a Graph account; the renewal timer leaves polled accounts
 * alone (a full round for a missing subscription would ask EWS for one it cannot have).
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
  await world.addAccount({
    id: 'ews-1',
    email: 'anna@firma.example',
    userId: 'anna@firma.example',
    provider: 'onPremises',
    tenantId: null,
    onPremises: CONNECTION,
  });
  world.queue.sent.length = 0;
  return world;
}

describe('mail of polled accounts', () => {
  it('the polling timer queues one delta mail round per interval for the EWS account only', async () => {
    const world = await mixedWorld();
    const sent = [];
    // Every 30 s for 6 minutes: three intervals of the default 2 minutes.
    for (let t = 0; t < 360; t += 30) {
      const now = world.clock.now();
      await enqueueMailPolls(world.deps, { since: new Date(now.getTime() - 30_000) });
      sent.push(...world.queue.sent.splice(0));
      world.clock.advance(30_000 - 1000);
    }
    expect(sent.every((s) => s.queue === 'mail')).toBe(true);
    expect(sent.map((s) => s.message)).toEqual(
      Array.from({ length: sent.length }, () =>
        expect.objectContaining({ kind: 'mailSync', accountId: 'ews-1', full: false, reason: 'poll' }),
      ),
    );
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(new Set(sent.map((s) => s.message.dedupeId)).size).toBe(sent.length);
  });

  it('the renewal timer makes no mail subscription round for the EWS account', async () => {
    const world = await mixedWorld();
    await enqueueMailRenewals(world.deps);
    expect(world.queue.sent.map((s) => s.message)).toEqual([
      expect.objectContaining({ kind: 'mailSync', accountId: 'm365', full: true }),
    ]);
  });

  it('an account the server asked to wait is not polled until then', async () => {
    const world = await mixedWorld();
    const until = new Date(world.clock.now().getTime() + 10 * 60_000).toISOString();
    await world.editAccount('ews-1', (a) => ({ ...a, status: { ...a.status, backOffUntil: until } }));
    for (let t = 0; t < 300; t += 30) {
      const now = world.clock.now();
      await enqueueMailPolls(world.deps, { since: new Date(now.getTime() - 30_000) });
      world.clock.advance(30_000 - 1000);
    }
    expect(world.queue.sent).toEqual([]);
  });
});
