import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, summaryLines } from '../../../local/demo/run-demo.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

/** Issue 17, item 8: the demo's mailbox holds mail of every kind, and the first sync's summary reports it. */
describe('the demo with mail', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('imports the clients’ mail of the window, keeps the rest out and says so in the summary', async () => {
    const demo = await runDemo(stack, () => undefined);
    await stack.settle(120_000);
    const mail = (await stack.runtime.deps.accounts.get(demo.accountId))?.value.mail;
    expect(mail?.stage).toBe('live');
    expect(mail?.progress.messagesSeen).toBeGreaterThanOrEqual(300);
    expect(mail?.counts.linked).toBeGreaterThan(50);
    expect(mail?.counts.skipped).toMatchObject({
      outsideWindow: expect.any(Number),
      bulk: expect.any(Number),
      internal: expect.any(Number),
      privateCategory: expect.any(Number),
      noContact: expect.any(Number),
    });
    const lines = summaryLines(demo.tally, mail ?? null).join('\n');
    expect(lines).toMatch(/mail \(live\)\s+\d+ seen, \d+ on CRM records/);
    expect(lines).toContain('outsideWindow');
  }, 240_000);
});
