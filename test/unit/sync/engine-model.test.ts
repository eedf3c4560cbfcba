import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crmContent,
  EXCHANGE_LIMITS,
  exchangeFieldsOf,
  projectToExchange,
} from '../../../shared/contact/index.js';
import type { ContactLink } from '../../../shared/sync/link.js';
import { type Action, actionArb, apply, type NotesModel } from './support/model-actions.js';
import { World } from './support/world.js';

/**
 * The model test (vdirsyncer's SyncMachine): random user actions on both sides, interleaved
 * with processing queued messages in random order and with duplicates. After the queues
 * drain and a reconcile ran, the DESIGN section 9 invariants must hold.
 */

const MAILBOX = 'makler@example.de';
const RUNS = Number(process.env.FC_RUNS ?? 50);

/** A small deterministic PRNG, so the drain order is part of the counterexample's seed. */
function randomFrom(seed: number): (size: number) => number {
  let state = seed >>> 0;
  return (size) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % size) | 0;
  };
}

async function settle(world: World, seed: number) {
  const failures = [...(await world.drain(randomFrom(seed))).failures];
  await world.run(world.exchangeChanged()).catch((e: unknown) => failures.push(e));
  await world.run(world.reconcile()).catch((e: unknown) => failures.push(e));
  failures.push(...(await world.drain()).failures);
  return failures;
}

async function links(world: World): Promise<ContactLink[]> {
  const all: ContactLink[] = [];
  for await (const link of world.mirror.list('acc-1')) all.push(link);
  return all;
}

async function checkInvariants(world: World, notes: NotesModel) {
  const pairs = await links(world);
  const outlook = world.exchange.all(MAILBOX);
  const crm = world.crm.all();
  for (const link of pairs) {
    const c = world.crm.peek(link.crmId);
    const x = outlook.find((o) => o.id === link.exchangeId);
    expect(c, `CRM side of link ${link.linkId}`).toBeDefined();
    expect(x, `Exchange side of link ${link.linkId}`).toBeDefined();
    if (!c || !x) continue;
    expect(exchangeFieldsOf(x, 'DE'), `content of pair ${link.linkId}`).toEqual(
      projectToExchange(crmContent(c), { defaultCountry: 'DE' }).fields,
    );
    expect(c.syncAccounts, `a linked CRM contact carries the tag (${c.id})`).toContain('acc-1');
  }
  for (const x of outlook) {
    expect(
      pairs.filter((l) => l.exchangeId === x.id),
      `Exchange contact ${x.id} has a CRM counterpart`,
    ).toHaveLength(1);
    expect(x.emailAddresses?.length ?? 0).toBeLessThanOrEqual(EXCHANGE_LIMITS.emails);
    expect(x.businessPhones?.length ?? 0).toBeLessThanOrEqual(EXCHANGE_LIMITS.businessPhones);
    expect(x.homePhones?.length ?? 0).toBeLessThanOrEqual(EXCHANGE_LIMITS.homePhones);
  }
  for (const c of crm.filter((c) => c.syncAccounts.includes('acc-1'))) {
    expect(
      pairs.filter((l) => l.crmId === c.id),
      `tagged CRM contact ${c.id} has one Outlook copy`,
    ).toHaveLength(1);
  }
  for (const c of crm) expect(c.notes, `notes of ${c.id}`).toBe(notes.get(c.id) ?? null);
}

describe('engine model: random edits on both sides converge', () => {
  it('holds the sync invariants after the queues drain', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 1, maxLength: 25 }),
        fc.integer(),
        async (actions: Action[], seed) => {
          const world = new World();
          await world.addAccount();
          await world.run(world.task('connect'));
          const notes: NotesModel = new Map();
          for (const action of actions) await apply(world, action, notes);
          const failures = await settle(world, seed);
          expect(failures.map(String)).toEqual([]);
          await checkInvariants(world, notes);
          // Settled means settled: one more reconcile writes nothing.
          world.resetCounts();
          await world.run(world.reconcile());
          await world.drain();
          expect(world.writes()).toEqual({ exchange: 0, crm: 0 });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
