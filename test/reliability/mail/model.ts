import fc from 'fast-check';
import type { FolderId } from './fake-mail.js';
import { checkMailInvariants, type MailViolation } from './invariants.js';
import { CRASH_POINTS, type CrashPoint } from './stores.js';
import { MailWorld } from './world.js';

/**
 * The mail reliability model (issue 17, Done when): random sequences of what happens to a
 * tenant's mail (delivery from outside, agents' mail to clients and to each other with cc and
 * bcc, moves between synced and unsynced folders, deletes, the private category set and
 * cleared, a client gaining a stranger's address), interleaved with what goes wrong
 * (notifications dropped or delivered twice, a delta page lost, a worker dying just before or
 * after a write: between the CRM's upsert and our store's above all, a worker restarted) and
 * with the two workers taking the mail queue's messages in any order, alone or at once. After
 * the drain (faults off, every message worked off, two sweeps) the invariants of
 * invariants.ts must hold.
 */

export type MailCommand =
  | { kind: 'receive'; agent: number; from: number; cc: number[]; priv: boolean; bulk: boolean }
  | { kind: 'send'; agent: number; to: number[]; cc: number[]; bcc: number[]; priv: boolean }
  | { kind: 'move'; agent: number; n: number; to: FolderId }
  | { kind: 'remove'; agent: number; n: number }
  | { kind: 'categorise'; agent: number; n: number; priv: boolean }
  | { kind: 'gainAddress'; client: number; stranger: number }
  | { kind: 'dropNotifications'; count: number }
  | { kind: 'duplicateNotifications'; count: number }
  | { kind: 'loseDeltaPage'; agent: number; folder: FolderId }
  | { kind: 'crash'; point: CrashPoint }
  | { kind: 'restart'; worker: number }
  | { kind: 'sweep'; agent: number }
  | { kind: 'process'; index: number; worker: number }
  | { kind: 'processTwo'; a: number; b: number };

const AGENTS = 2;
const CLIENTS = 3;
const STRANGERS = 2;
/** People an address list is drawn from: 0–1 agents, 2–4 clients, 5–6 strangers. */
const PEOPLE = AGENTS + CLIENTS + STRANGERS;

const agent = fc.integer({ min: 0, max: AGENTS - 1 });
const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const people = (max: number) => fc.uniqueArray(person, { maxLength: max });
const pick = fc.nat({ max: 50 });

export const mailCommand: fc.Arbitrary<MailCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      agent,
      from: fc.integer({ min: AGENTS, max: PEOPLE - 1 }),
      cc: people(2),
      priv: fc.boolean(),
      bulk: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      agent,
      to: people(2),
      cc: people(2),
      bcc: people(1),
      priv: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      agent,
      n: pick,
      to: fc.constantFrom<FolderId>('inbox', 'sentitems', 'archive', 'deleteditems'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), agent, n: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('categorise' as const), agent, n: pick, priv: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('gainAddress' as const),
      client: fc.integer({ min: 0, max: CLIENTS - 1 }),
      stranger: fc.integer({ min: 0, max: STRANGERS - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dropNotifications' as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicateNotifications' as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('loseDeltaPage' as const),
      agent,
      folder: fc.constantFrom<FolderId>('inbox', 'sentitems'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('crash' as const), point: fc.constantFrom(...CRASH_POINTS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('restart' as const), worker: fc.integer({ min: 0, max: 1 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const), agent }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('process' as const),
      index: pick,
      worker: fc.integer({ min: 0, max: 1 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('processTwo' as const), a: pick, b: pick }) },
);

export const mailSequence = fc.array(mailCommand, { minLength: 10, maxLength: 60, size: 'max' });

export interface MailStats {
  sequences: number;
  actions: number;
  crashes: number;
  rounds: number;
  crmEmails: number;
  violations: Partial<Record<MailViolation['invariant'], number>>;
}

export function emptyMailStats(): MailStats {
  return { sequences: 0, actions: 0, crashes: 0, rounds: 0, crmEmails: 0, violations: {} };
}

export class MailViolationError extends Error {
  constructor(readonly violations: MailViolation[]) {
    super(`mail invariants broken:\n${violations.map((v) => `  ${v.invariant}: ${v.detail}`).join('\n')}`);
  }
}

/** One sequence on a fresh world; throws MailViolationError when an invariant is broken after the drain. */
export async function runMailSequence(
  commands: readonly MailCommand[],
  stats = emptyMailStats(),
): Promise<MailWorld> {
  const world = new MailWorld({ agents: AGENTS, clients: CLIENTS, strangers: STRANGERS });
  await world.setup();
  const address = (i: number): string => {
    if (i < AGENTS) return world.agents[i]?.address ?? '';
    if (i < AGENTS + CLIENTS) return world.clients[i - AGENTS]?.address ?? '';
    return world.strangers[i - AGENTS - CLIENTS] ?? '';
  };
  for (const command of commands) {
    world.clock.advance(1_000);
    await apply(world, command, address);
  }
  await world.drain();
  const violations = checkMailInvariants(world);
  stats.sequences++;
  stats.actions += commands.length;
  stats.crashes += world.crashes.fired;
  stats.rounds += world.rounds.done + world.rounds.skipped + world.rounds.failed;
  stats.crmEmails += world.crm.mails.size;
  for (const v of violations) stats.violations[v.invariant] = (stats.violations[v.invariant] ?? 0) + 1;
  if (violations.length > 0) throw new MailViolationError(violations);
  return world;
}

async function apply(world: MailWorld, c: MailCommand, address: (i: number) => string): Promise<void> {
  const list = (ids: number[], not: string) => ids.map(address).filter((a) => a !== not);
  switch (c.kind) {
    case 'receive': {
      const own = world.agents[c.agent]?.address ?? '';
      return world.receive(c.agent, address(c.from), list(c.cc, own), c.priv, c.bulk);
    }
    case 'send': {
      const own = world.agents[c.agent]?.address ?? '';
      return world.send(c.agent, list(c.to, own), list(c.cc, own), list(c.bcc, own), c.priv);
    }
    case 'move':
      return world.move(c.agent, c.n, c.to);
    case 'remove':
      return world.remove(c.agent, c.n);
    case 'categorise':
      return world.categorise(c.agent, c.n, c.priv);
    case 'gainAddress':
      return world.gainAddress(c.client, c.stranger);
    case 'dropNotifications':
      world.drop += c.count;
      return;
    case 'duplicateNotifications':
      world.duplicate += c.count;
      return;
    case 'loseDeltaPage':
      return world.loseDeltaPage(c.agent, c.folder);
    case 'crash':
      world.crashes.armed.add(c.point);
      return;
    case 'restart':
      return world.restart(c.worker);
    case 'sweep':
      return world.sweep(c.agent);
    case 'process':
      return world.process(c.index, c.worker);
    case 'processTwo':
      return world.processTwo(c.a, c.b);
  }
}

/** The property the CI test and the soak check. */
export function mailProperty(stats: MailStats) {
  return fc.asyncProperty(mailSequence, async (commands) => {
    await runMailSequence(commands, stats);
  });
}
