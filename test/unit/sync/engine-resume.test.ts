import { describe, expect, it } from 'vitest';
import { SyncError } from '../../../shared/errors.js';
import type { DeltaPage, ExchangeContacts } from '../../../shared/ports.js';
import { World } from './support/world.js';

/**
 * A delta round cut off in the middle (a function run that ends, a worker that dies) resumes
 * from the last page it processed when the adapter gives a cursor per page (EWS's SyncState,
 * ports.ts `resumeCursor`), instead of listing the whole folder again; Graph, which gives none
 * mid-round, starts over. Either way nothing is created twice, and a page after a removal is
 * never a checkpoint (removals are decided at the round's end).
 */

const MAILBOX = 'makler@example.de';

/** The adapter with every delta round cut off after `pages` pages (once). */
function cutOffAfter(exchange: ExchangeContacts, pages: number): { pagesRead: () => number } {
  let read = 0;
  let armed = true;
  const delta = exchange.delta.bind(exchange);
  exchange.delta = async function* (mailbox, folderId, cursor): AsyncIterable<DeltaPage> {
    let n = 0;
    for await (const page of delta(mailbox, folderId, cursor)) {
      if (armed && n === pages) {
        armed = false;
        throw new SyncError('transient', 'Timeout', 'the run ended');
      }
      n++;
      read++;
      yield page;
    }
  };
  return { pagesRead: () => read };
}

async function poll(world: World): Promise<void> {
  world.inbox.push(world.exchangeChanged());
  await world.drain();
}

function names(world: World): string[] {
  return world.crm
    .all()
    .map((c) => c.lastName ?? '')
    .sort();
}

describe('a cut-off delta round', () => {
  it('EWS: a first sync of 23 contacts cut off after 3 pages resumes with page 4', async () => {
    const world = new World({}, { exchange: 'ews', pageSize: 5 });
    await world.addAccount({ provider: 'onPremises' });
    for (let i = 0; i < 23; i++)
      world.exchange.userCreate(MAILBOX, { givenName: 'P', surname: `N${String(i).padStart(2, '0')}` });
    const cut = cutOffAfter(world.deps.exchange, 3);
    world.inbox.push(world.exchangeChanged());
    const first = await world.run(world.inbox.shift() as never).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'transient' });
    expect(world.crm.all()).toHaveLength(15); // three pages processed and kept
    expect(cut.pagesRead()).toBe(3);
    await poll(world);
    expect(cut.pagesRead()).toBe(3 + 2); // pages 4 and 5, not the folder again
    expect(names(world)).toEqual(Array.from({ length: 23 }, (_, i) => `N${String(i).padStart(2, '0')}`));
    await poll(world);
    expect(world.crm.all()).toHaveLength(23);
  });

  it('Graph: the same round starts over from the stored deltaLink, and creates nothing twice', async () => {
    const world = new World({}, { pageSize: 5 });
    await world.addAccount();
    for (let i = 0; i < 23; i++)
      world.exchange.userCreate(MAILBOX, { givenName: 'P', surname: `N${String(i).padStart(2, '0')}` });
    world.inbox.length = 0;
    const cut = cutOffAfter(world.deps.exchange, 3);
    const first = await world.run(world.exchangeChanged()).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'transient' });
    expect(world.crm.all()).toHaveLength(0); // new contacts wait for the round's end
    await world.run(world.exchangeChanged());
    expect(cut.pagesRead()).toBe(3 + 5);
    expect(world.crm.all()).toHaveLength(23);
  });

  it('EWS: after a removal no page is a checkpoint; the delete is decided when the round resumes', async () => {
    const world = new World({}, { exchange: 'ews', pageSize: 5 });
    await world.addAccount({ provider: 'onPremises' });
    const gone = world.exchange.userCreate(MAILBOX, { givenName: 'Alt', surname: 'Weg' });
    await poll(world);
    expect(world.crm.all()).toHaveLength(1);
    world.exchange.userDelete(MAILBOX, gone.id);
    for (let i = 0; i < 12; i++)
      world.exchange.userCreate(MAILBOX, { givenName: 'P', surname: `N${String(i).padStart(2, '0')}` });
    cutOffAfter(world.deps.exchange, 2);
    await world.run(world.exchangeChanged()).catch(() => undefined);
    // The removal came on page 1: a cursor saved after it would skip it for good.
    await poll(world);
    const links = [];
    for await (const link of world.mirror.list('acc-1')) links.push(link);
    expect(links.map((l) => l.exchangeId)).not.toContain(gone.id);
    expect(links).toHaveLength(12);
    expect(world.crm.all().filter((c) => c.syncAccounts.includes('acc-1'))).toHaveLength(12);
    expect(names(world)).toContain('N11');
  });

  it('EWS: an account is polled, so connect and reconcile make no subscription', async () => {
    const world = new World({}, { exchange: 'ews' });
    await world.addAccount({ provider: 'onPremises' });
    world.exchange.userCreate(MAILBOX, { givenName: 'Olga', surname: 'Outlook' });
    await world.run(world.task('connect'));
    await world.run(world.reconcile());
    await world.run(world.task('renewSubscription'));
    await world.run(world.task('reauthorize'));
    expect((await world.account()).subscription).toBeNull();
    expect(world.exchange.hooks.total(['createSubscription', 'getSubscription', 'renewSubscription'])).toBe(
      0,
    );
    expect(world.exchange.subscriptionsById.size).toBe(0);
    expect(names(world)).toEqual(['Outlook']);
  });
});
