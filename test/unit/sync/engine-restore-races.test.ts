import { describe, expect, it } from 'vitest';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { World } from './support/world.js';

/**
 * Whole-stack soak seed 1169968522 (issue 14) after 12d1ac2: an Outlook contact deleted to
 * Deleted Items, edited in the CRM (the sync re-creates it in Outlook from the CRM: edit beats
 * delete), then restored from Deleted Items under its old immutable id; the restored original
 * takes the copy's place (restored-original.ts). Here the worker dies between a remote write
 * and the mirror write after it (the soak's crash, behind each remote write of the flow in
 * turn), the CRM user may remove the sync tag before the restore, and the queue's messages
 * arrive in any order. Never a second CRM contact, whatever.
 *
 * The seed's replay after 12d1ac2 was the untag: the CRM user removed the tag after the copy
 * was made, the restore came before the sync saw that, its first key replayed the CRM
 * contact, untagged now but still held by the copy's link, and takeCopysPlace turned down an
 * untagged contact, so the next key made a second one (linked to the restored original) and
 * the untag then deleted the copy.
 */

const MAILBOX = 'makler@example.de';

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

type Delivery = 'oldest first' | 'CRM first' | { seed: number };
const isCrm = (m: QueueMessage) => m.kind === 'crmEvent' || m.kind === 'crmChanged';

async function deliver(world: World, delivery: Delivery): Promise<unknown[]> {
  const random = typeof delivery === 'object' ? randomFrom(delivery.seed) : null;
  const failures: unknown[] = [];
  for (let n = 0; world.inbox.length > 0; n++) {
    if (n > 300) throw new Error('the inbox did not drain');
    const crm = world.inbox.findIndex(isCrm);
    const index = random ? random(world.inbox.length) : delivery === 'CRM first' && crm >= 0 ? crm : 0;
    const [message] = world.inbox.splice(index, 1);
    if (!message) break;
    if (random && random(4) === 0) world.inbox.push(message); // delivered twice
    await world.run(message).catch((error: unknown) => {
      failures.push(error);
      world.inbox.push(message); // the queue redelivers
    });
  }
  return failures;
}

/** Where the crash is armed: before the CRM edit (the re-creation) or before the restore. */
type Phase = 'recreate' | 'restore';

interface Case {
  /** The CRM user removes the sync tag after the copy was made, before the restore. */
  untag: boolean;
  /** Where the crash is armed, and behind which remote write from there it fires. */
  crash: { phase: Phase; n: number } | null;
  delivery: Delivery;
}

async function history({ untag, crash, delivery }: Case) {
  const world = new World();
  await world.addAccount();
  world.exchange.setImmutableIds(MAILBOX, true);
  await world.run(world.task('connect'));
  await world.drain();
  const original = world.exchange.userCreate(MAILBOX, {
    givenName: 'Rita',
    surname: 'Rückkehr',
    emailAddresses: [{ address: 'rita@example.de' }],
    personalNotes: 'nur Outlook',
  });
  await world.drain();
  const [crm] = world.crm.all();
  if (!crm) throw new Error('the Outlook contact did not reach the CRM');

  const deleted = world.exchange.userSoftDelete(MAILBOX, original.id);
  if (crash?.phase === 'recreate') world.mirror.crashBeforeNextMirrorWrite(crash.n);
  world.crm.userUpdate(crm.id, {
    lastName: 'Berg',
    emails: [{ address: 'rita.berg@example.de', type: null }],
    notes: 'Rückruf am Montag',
  });
  const failures = await deliver(world, delivery);
  if (untag) world.crm.untag(crm.id, 'acc-1');
  if (crash?.phase === 'restore') world.mirror.crashBeforeNextMirrorWrite(crash.n);
  world.exchange.userRestore(MAILBOX, deleted);
  failures.push(...(await deliver(world, delivery)));
  const crashed = !world.mirror.crashArmed;
  world.inbox.push(world.exchangeChanged(), world.reconcile());
  const { failures: late } = await world.drain();
  return { world, original, crm, crashed, failures: [...failures, ...late] };
}

const deliveries: Delivery[] = [
  'oldest first',
  'CRM first',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((seed) => ({ seed })),
];

/** After the drain and a reconcile: one CRM contact; linked to the original, or untagged and alone. */
async function expectOneContact(
  world: World,
  c: Case,
  original: { id: string },
  crmId: string,
  label: string,
) {
  // Untagged, the contact's content depends on the order: when the sync saw the untag first,
  // the restored original (linked by its replayed key) reads as Outlook's edit, which reaches
  // the CRM before the copy goes (plan.ts planTagRemoved).
  expect(
    world.crm.all().map((x) => [x.id, x.syncAccounts, c.untag ? '' : x.lastName]),
    label,
  ).toEqual([[crmId, c.untag ? [] : ['acc-1'], c.untag ? '' : 'Berg']]);
  // A sync tag removed deletes the Exchange copy (DESIGN 9.6): the original, which took its place.
  expect(
    world.exchange.all(MAILBOX).map((x) => [x.id, x.surname]),
    label,
  ).toEqual(c.untag ? [] : [[original.id, 'Berg']]);
  expect(
    (await world.links()).map((l) => [l.crmId, l.exchangeId]),
    label,
  ).toEqual(c.untag ? [] : [[crmId, original.id]]);
}

describe('a restored original whose CRM contact lost its sync tag after the copy was made', () => {
  for (const delivery of deliveries)
    it(`keeps one CRM contact, untagged, and the untag deletes the Outlook contact (delivery ${JSON.stringify(delivery)})`, async () => {
      const c: Case = { untag: true, crash: null, delivery };
      const { world, original, crm, failures } = await history(c);
      expect(failures).toEqual([]);
      await expectOneContact(world, c, original, crm.id, 'no crash');
    });
});

describe('a restored original taking the copy’s place, the worker dying between a remote write and the mirror write', () => {
  for (const untag of [false, true])
    for (const phase of ['recreate', 'restore'] as const)
      it(`stays one CRM contact (${untag ? 'untagged before the restore, ' : ''}crash armed before the ${phase}), behind every remote write, any delivery order`, async () => {
        let fired = 0;
        for (const delivery of deliveries)
          for (let n = 1; n <= 8; n++) {
            const c: Case = { untag, crash: { phase, n }, delivery };
            const { world, original, crm, crashed, failures } = await history(c);
            const label = `crash behind remote write ${n}, delivery ${JSON.stringify(delivery)}`;
            expect(
              failures.map((e) => (e as { code?: string }).code),
              label,
            ).toEqual(crashed ? ['InjectedCrash'] : []);
            await expectOneContact(world, c, original, crm.id, label);
            if (!crashed) break;
            fired++;
          }
        expect(fired).toBeGreaterThan(0);
      });
});
