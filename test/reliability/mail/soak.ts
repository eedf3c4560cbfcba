import fc from 'fast-check';
import { emptyMailStats, MailViolationError, mailProperty } from './model.js';

/**
 * `npm run soak -- --model mail --actions 100000` (and/or `--minutes N`; default 2 minutes):
 * the mail model (model.ts) over in-memory fakes until the budget is used up, in batches of
 * sequences with fresh seeds. Each failure is printed with its seed, path and shrunk sequence
 * (replay: MAIL_RELIABILITY_SEED / MAIL_RELIABILITY_PATH with mail-model.test.ts). Prints the
 * figures; exits 1 when any sequence broke an invariant.
 */
const BATCH = 50;

export async function runMailSoak(argv: readonly string[]): Promise<number> {
  const option = (name: string): number | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : undefined;
  };
  const actions = option('--actions');
  const minutes = option('--minutes') ?? (actions === undefined ? 2 : Number.POSITIVE_INFINITY);
  if (Number.isNaN(minutes) || minutes <= 0 || (actions !== undefined && !(actions > 0))) {
    throw new Error('usage: npm run soak -- --model mail [--minutes N] [--actions N]');
  }
  const stats = emptyMailStats();
  const started = Date.now();
  const deadline = started + Math.min(minutes * 60_000, 2 ** 31 - 1);
  const failures: string[] = [];
  let lastReport = started;
  while (Date.now() < deadline && (actions === undefined || stats.actions < actions)) {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const found = await fc.check(mailProperty(stats), {
      numRuns: BATCH,
      seed,
      plugins: [fc.interruptAfterTimeLimit(Math.max(1, deadline - Date.now()))],
    });
    if (found.failed) {
      const detail =
        found.errorInstance instanceof MailViolationError
          ? found.errorInstance.message
          : String(found.errorInstance);
      const report = `seed ${found.seed}, path ${found.counterexamplePath}\n${JSON.stringify(found.counterexample)}\n${detail}`;
      failures.push(report);
      console.log(`\n[soak mail] VIOLATION\n${report}\n`);
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      console.log(
        `[soak mail ${Math.round((Date.now() - started) / 1000)} s] sequences ${stats.sequences}, actions ${stats.actions}, failures ${failures.length}`,
      );
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const violations = Object.entries(stats.violations)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log('\n=== mail soak figures ===');
  console.log(`sequences: ${stats.sequences}`);
  console.log(`actions: ${stats.actions} (${Math.round(stats.actions / seconds)} per second)`);
  console.log(`worker crashes: ${stats.crashes}`);
  console.log(`mail rounds: ${stats.rounds}`);
  console.log(`CRM e-mails checked: ${stats.crmEmails}`);
  console.log(`violations: ${violations || '0'}`);
  console.log(`time: ${Math.round(seconds)} s`);
  return failures.length > 0 ? 1 : 0;
}
