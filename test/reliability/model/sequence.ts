import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { installCrashHooks } from './crash-hooks.js';
import { CrmCreate } from './crm-commands.js';
import { checkInvariants, type Violation } from './invariants.js';
import { count, idleCrash, type Run, RunModel, type Stats } from './model.js';
import { OutlookCreate } from './outlook-commands.js';
import type { ReliabilityStack } from './stack.js';
import type { Command } from './user-commands.js';
import { writesDuring } from './writes.js';

/**
 * Generated sequences on the real stack, several at once: each sequence has a fresh mailbox,
 * account, CRM contacts and e-mail domain of its own (a random run tag in every name), so its
 * invariants are its own. The sequences of one batch start together (the emulators are reset
 * first, so a batch never sees an earlier one's contacts or leftover faults), set up a small
 * starting address book on both sides, run their commands concurrently, and drain together:
 * the drain (settle, reconcile of every account, settle) needs the whole stack quiet, so it
 * waits for every sequence of the batch. Faults hit the whole stack, as real ones do, so one
 * sequence's throttling or dropped notifications also hit the others: the invariants must hold
 * anyway. Each account is retired afterwards (moved to V2, which is past its shutdown) so
 * later batches never sync it.
 */
const SETTLE_MS_PER_SEQUENCE = 60_000;

export interface Lane {
  run: Run;
  model: RunModel;
}

/** The sequence of a violation, in its detail, when a batch holds more than one. */
export function laneLabel(index: number, lanes: number): string {
  return lanes > 1 ? `[sequence ${index + 1} of ${lanes}] ` : '';
}

export async function runSequences(
  stack: ReliabilityStack,
  sequences: readonly Iterable<Command>[],
  stats: Stats,
): Promise<Violation[]> {
  stats.sequences += sequences.length;
  // The queues drain within a minute per sequence of the batch (its work is on one stack).
  const settleMs = SETTLE_MS_PER_SEQUENCE * sequences.length;
  await stack.settle(settleMs).catch(() => {}); // a failed batch may have left work behind
  stack.graph.admin.reset();
  stack.crm.admin.reset();
  const lanes: Lane[] = [];
  let restore = () => {};
  try {
    await allOrThrow(sequences.map(async () => lanes.push(await registerLane(stack, stats))));
    await stack.settle(settleMs);
    restore = installCrashHooks(
      stack.runtime.deps,
      lanes.map((l) => l.run),
    );
    for (const lane of lanes) await seedCrm(lane);
    await allOrThrow(
      lanes.map((lane, i) =>
        fc.asyncModelRun(() => ({ model: lane.model, real: lane.run }), sequences[i] as Iterable<Command>),
      ),
    );
    const perLane = await drainAndCheck(lanes, settleMs);
    const violations: Violation[] = [];
    perLane.forEach((found, i) => {
      for (const v of found) count(stats.violations, v.invariant);
      if (found.length > 0) stats.failedSequences++;
      for (const v of found) violations.push({ ...v, detail: laneLabel(i, lanes.length) + v.detail });
    });
    return violations;
  } finally {
    restore();
    await Promise.all(lanes.map((l) => retire(l.run)));
  }
}

/**
 * Like Promise.all, but waits for every promise before it throws the first failure: a sequence
 * must not act on after its batch ended (it would act on the next batch's stack).
 */
async function allOrThrow<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** A mailbox with two Outlook contacts, registered as a V3 account: the initial sync brings them over. */
async function registerLane(stack: ReliabilityStack, stats: Stats): Promise<Lane> {
  const runTag = `r${randomBytes(3).toString('hex')}`;
  const mailbox = `${runTag}@reliability.example`;
  stack.graph.admin.createMailbox({ mail: mailbox });
  const model = new RunModel(runTag);
  const run: Run = {
    stack,
    accountId: '',
    mailbox,
    domain: `${runTag}.example`,
    stats,
    folderId: (await stack.outlook.createFolder(mailbox, 'Kunden')).id,
    background: [],
    crash: idleCrash(),
  };
  await new OutlookCreate({
    variant: 0,
    surname: 'Berg',
    emails: [0, 1],
    businessPhones: ['+49301234567'],
    personalNotes: 'nur Outlook',
  }).act(model, run);
  await new OutlookCreate({ variant: 1, surname: 'Stein', emails: [0] }).act(model, run);
  const response = await stack.api('POST', '/api/accounts', {
    email: mailbox,
    syncVersion: 'v3',
    provider: 'microsoft365',
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  run.accountId = (response.json as { id: string }).id;
  return { run, model };
}

/** The CRM has one tagged contact with more than Exchange can hold, and one untagged. */
async function seedCrm({ run, model }: Lane): Promise<void> {
  await new CrmCreate(
    {
      variant: 2,
      salutation: 'Frau',
      lastName: 'Meier',
      emails: [
        { k: 0, type: 'business' },
        { k: 1, type: 'private' },
        { k: 2, type: null },
        { k: 3, type: 'business' },
      ],
      phones: [
        { number: '030 1234567', type: 'fax' },
        { number: 'abc', type: 'business' },
        { number: '0171 2345678', type: 'mobile' },
      ],
      websites: [
        { url: 'https://berg.example', type: 'private' },
        { url: 'https://stein.example', type: null },
      ],
      notes: 'Notiz',
    },
    true,
  ).act(model, run);
  await new CrmCreate(
    { variant: 0, lastName: 'Stein', emails: [{ k: 0, type: 'private' }], notes: null },
    false,
  ).act(model, run);
}

/**
 * Settle, reconcile, settle; check each sequence; then reconcile once more on a quiet stack:
 * no writes allowed (each write is charged to the sequence whose mailbox or contact it touched).
 * Returns the violations per sequence.
 */
async function drainAndCheck(lanes: Lane[], settleMs: number): Promise<Violation[][]> {
  await Promise.allSettled(lanes.flatMap((l) => l.run.background));
  for (const lane of lanes) lane.run.crash.armed = false;
  const stack = (lanes[0] as Lane).run.stack;
  const settled = await settleAndReconcile(stack, settleMs);
  if (settled) return lanes.map(() => [settled]);
  const violations = await Promise.all(lanes.map((l) => checkInvariants(l.run, l.model)));
  const writes = await writesDuring(
    lanes,
    async () => (await settleAndReconcile(stack, settleMs)) ?? undefined,
  );
  return violations.map((found, i) => [...found, ...(writes[i] ?? [])]);
}

async function settleAndReconcile(stack: ReliabilityStack, settleMs: number): Promise<Violation | null> {
  try {
    await stack.settle(settleMs);
    stack.crm.admin.clearFaults();
    const response = await fetch(`${stack.host.url}/admin/functions/reconcile`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.host.masterKey },
    });
    if (!response.ok)
      return { invariant: 'reconcile runs', detail: `admin route answered ${response.status}` };
    await stack.settle(settleMs);
    return null;
  } catch (error) {
    return { invariant: 'convergence: the queues drain', detail: String(error) };
  }
}

async function retire(run: Run): Promise<void> {
  const accounts = run.stack.runtime.deps.accounts;
  for (let attempt = 0; attempt < 5 && run.accountId; attempt++) {
    const stored = await accounts.get(run.accountId);
    if (!stored) return;
    try {
      await accounts.put({ ...stored.value, syncVersion: 'v2' }, stored.etag);
      return;
    } catch {
      // changed meanwhile (a late worker): read again
    }
  }
}
