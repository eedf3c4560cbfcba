import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyMailStats, mailProperty } from './model.js';

/**
 * The mail reliability model in CI (model.ts): MAIL_RELIABILITY_RUNS sequences (default 150)
 * over the in-memory fakes, 0 violations. A failure prints the shrunk sequence and its replay:
 *   MAIL_RELIABILITY_SEED=… MAIL_RELIABILITY_PATH=… npx vitest run test/reliability/mail/mail-model.test.ts
 * `npm run soak -- --model mail --actions 100000` runs the same property for longer.
 */
const RUNS = Number(process.env.MAIL_RELIABILITY_RUNS ?? 150);
const seed = process.env.MAIL_RELIABILITY_SEED;
const path = process.env.MAIL_RELIABILITY_PATH;

describe('reliability: the mail pipeline under random mail, faults and crashes', () => {
  it('keeps every mail invariant after the queue drains', async () => {
    const stats = emptyMailStats();
    await fc.assert(mailProperty(stats), {
      numRuns: RUNS,
      ...(seed === undefined ? {} : { seed: Number(seed) }),
      ...(path === undefined ? {} : { path }),
      interruptAfterTimeLimit: 60_000,
    });
    console.log(
      `mail model: ${stats.sequences} sequences, ${stats.actions} actions, ${stats.crashes} crashes, ${stats.rounds} rounds, ${stats.crmEmails} CRM e-mails checked`,
    );
    expect(stats.sequences).toBeGreaterThan(0);
  }, 120_000);
});
