import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { installCrashHooks } from './crash-hooks.js';
import { CrmCreate } from './crm-commands.js';
import { checkInvariants, type Violation } from './invariants.js';
import { count, type Run, RunModel, type Stats } from './model.js';
import { OutlookCreate } from './outlook-commands.js';
import type { ReliabilityStack } from './stack.js';
import type { Command } from './user-commands.js';
import { writesDuring } from './writes.js';

/**
 * One generated sequence on the real stack: a fresh mailbox and account (the emulators are
 * reset first, so runs never see each other's contacts or leftover faults), a small starting
 * address book on both sides, the commands, then the drain and every invariant. The account is
 * retired afterwards (moved to V2, which is past its shutdown) so later runs never sync it.
 */
export async function runSequence(
  stack: ReliabilityStack,
  commands: Iterable<Command>,
  stats: Stats,
): Promise<Violation[]> {
  stats.sequences++;
  const { run, model, restore } = await startRun(stack, stats);
  try {
    await fc.asyncModelRun(() => ({ model, real: run }), commands);
    const violations = await drainAndCheck(run, model);
    for (const v of violations) count(stats.violations, v.invariant);
    if (violations.length > 0) stats.failedSequences++;
    return violations;
  } finally {
    restore();
    await retire(run);
  }
}

async function startRun(stack: ReliabilityStack, stats: Stats) {
  await stack.settle(60_000).catch(() => {}); // a failed run may have left work behind
  stack.graph.admin.reset();
  stack.crm.admin.reset();
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
    crash: { armed: false, remoteWrote: false },
  };
  // Outlook has contacts before the account is connected: the initial sync brings them over.
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
  await stack.settle(60_000);
  const restore = installCrashHooks(stack.runtime.deps, run);
  // The CRM has one tagged contact with more than Exchange can hold, and one untagged.
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
  return { run, model, restore };
}

/** Settle, reconcile, settle; check; then reconcile once more on a quiet stack: no writes allowed. */
async function drainAndCheck(run: Run, model: RunModel): Promise<Violation[]> {
  await Promise.allSettled(run.background);
  run.crash.armed = false;
  const settled = await settleAndReconcile(run);
  if (settled) return [settled];
  const violations = await checkInvariants(run, model);
  const writes = await writesDuring(run, async () => (await settleAndReconcile(run)) ?? undefined);
  return [...violations, ...writes];
}

async function settleAndReconcile(run: Run): Promise<Violation | null> {
  try {
    await run.stack.settle(60_000);
    run.stack.crm.admin.clearFaults();
    const response = await fetch(`${run.stack.host.url}/admin/functions/reconcile`, {
      method: 'POST',
      headers: { 'x-functions-key': run.stack.host.masterKey },
    });
    if (!response.ok)
      return { invariant: 'reconcile runs', detail: `admin route answered ${response.status}` };
    await run.stack.settle(60_000);
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
