import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import type { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { SyncError } from '../../../shared/errors.js';
import type { DeltaPage } from '../../../shared/ports.js';
import { World } from '../../unit/sync/support/world.js';
import { ewsAdapter, MAILBOX, seed, startEws } from './support.js';

/**
 * The engine over the EWS adapter and emulator (issue 18 items 1 and 6): a first sync of
 * 2,000 contacts cut off after two SyncFolderItems pages goes on from the third page (the
 * SyncState of each page is stored once the page is processed), and ErrorServerBusy moves the
 * account's run to the end of BackOffMilliseconds instead of being retried by the queue.
 */
let emulator: RunningEwsEmulator;
let ews: EwsExchangeContacts;
let world: World;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(async () => {
  ews?.close();
  await emulator.stop();
});
beforeEach(async () => {
  seed(emulator);
  ews?.close();
  ews = ewsAdapter(emulator);
  world = new World();
  world.deps.exchange = ews;
  await world.addAccount({ email: MAILBOX, userId: MAILBOX, provider: 'onPremises' });
});

describe('the engine over EWS', () => {
  it('resumes a cut-off 2,000-contact first sync from its last processed page', async () => {
    for (let i = 0; i < 2000; i++)
      emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'P', Surname: `N${i}` } });
    const delta = ews.delta.bind(ews);
    let cut = true;
    ews.delta = async function* (mailbox, folderId, cursor): AsyncGenerator<DeltaPage> {
      let n = 0;
      for await (const page of delta(mailbox, folderId, cursor)) {
        if (cut && n === 2) {
          cut = false;
          throw new SyncError('transient', 'Timeout', 'the function run ended');
        }
        n++;
        yield page;
      }
    } as typeof ews.delta;
    await expect(world.run(world.exchangeChanged())).rejects.toMatchObject({ kind: 'transient' });
    expect(world.crm.all()).toHaveLength(1024); // two pages of 512, kept
    emulator.admin.log.length = 0;
    await world.run(world.exchangeChanged());
    // Pages 3 and 4 (512 and 464 contacts) are read, GetItem 50 a call per page: 11 + 10
    // calls, not the 43 of all four pages again.
    const ops = emulator.admin.requests().byOperation;
    expect(ops['GetItem']).toBe(Math.ceil(512 / 50) + Math.ceil(464 / 50));
    expect(world.crm.all()).toHaveLength(2000);
    expect(new Set(world.crm.all().map((c) => c.lastName)).size).toBe(2000);
  });

  it("ErrorServerBusy: the run is rescheduled after Exchange's BackOffMilliseconds, not retried", async () => {
    emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Olga', Surname: 'Outlook' } });
    emulator.admin.addFault({
      kind: 'serverBusy',
      backOffMs: 45_000,
      operation: 'SyncFolderItems',
      count: 1,
    });
    const before = world.clock.now().getTime();
    const result = await world.run(world.exchangeChanged());
    expect(result.outcome).toBe('skipped');
    const until = Date.parse((await world.account()).status.backOffUntil ?? '');
    expect(until - before).toBeGreaterThanOrEqual(45_000);
    expect(until - before).toBeLessThan(60_000);
    // The run after the wait gets through and clears it.
    await world.run(world.reconcile('acc-1', false));
    expect((await world.account()).status.backOffUntil).toBeNull();
    expect(world.crm.all().map((c) => c.lastName)).toEqual(['Outlook']);
  });
});
