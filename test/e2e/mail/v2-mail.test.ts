import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { getAccount, register, waitForProductTime } from '../accounts/account-api.js';
import { tag } from '../sync/helpers.js';
import { emailsOf, person, receive } from './helpers.js';

/**
 * Issue 17, item 5 on the whole stack: a V2 account's mail syncs until the shutdown (start of
 * 01.08.2025 in Berlin = 2025-07-31T22:00:00Z), none after it, and migrating resumes from the
 * saved deltaLinks with nothing of the window lost. The product's clock starts shortly
 * before the shutdown, so one stack crosses it.
 */
describe('issue 17: a V2 account’s mail around the shutdown', () => {
  let stack: TestStack;
  const mailbox = `${tag('v2mail')}@contoso.example`;
  let client: { id: string; address: string };

  beforeAll(async () => {
    stack = await startTestStack({ clockStart: '2025-07-31T21:59:35Z' });
    stack.graph.admin.createMailbox({ mail: mailbox });
    const address = `${tag('kunde')}@kunde.example`;
    client = {
      id: (
        await stack.crmUser.create({
          firstName: 'Vera',
          lastName: tag('Kundin'),
          emails: [{ address, type: null }],
        })
      ).id,
      address,
    };
  }, 60_000);
  afterAll(() => stack?.stop());

  it('syncs mail until the shutdown, none after it, and resumes after migrating', async () => {
    const account = await register(stack, { email: mailbox, syncVersion: 'v2' });
    await stack.settle();
    await receive(stack, mailbox, { from: person(client.address), subject: 'Vor der Abschaltung' });
    await stack.settle();
    expect(stack.runtime.deps.clock.now().toISOString() < '2025-07-31T22:00:00.000Z', 'still before').toBe(
      true,
    );
    expect((await emailsOf(stack, client.id)).map((m) => m.subject)).toEqual(['Vor der Abschaltung']);

    await waitForProductTime(stack, '2025-07-31T22:00:01Z');
    await receive(stack, mailbox, { from: person(client.address), subject: 'Nach der Abschaltung' });
    await stack.settle();
    await stack.runTimer('reconcile'); // the sweep skips a stopped account too
    await stack.settle();
    expect((await emailsOf(stack, client.id)).map((m) => m.subject)).toEqual(['Vor der Abschaltung']);
    const stopped = (await getAccount(stack, account.id)) as unknown as {
      mail: { subscriptionExpiresAt: string | null };
    };
    expect(stopped.mail.subscriptionExpiresAt).toBeNull(); // the message subscription went at the first mail work after it
    expect(stack.logs.some((l) => l.includes('mailSync skipped') && l.includes('is on V2'))).toBe(true);

    const migrated = await stack.api('POST', `/api/accounts/${account.id}/migrate`, {
      provider: 'microsoft365',
    });
    expect(migrated.status, migrated.text).toBe(200);
    await stack.settle();
    const subjects = (await emailsOf(stack, client.id)).map((m) => m.subject).sort();
    expect(subjects).toEqual(['Nach der Abschaltung', 'Vor der Abschaltung']);
    const live = (await getAccount(stack, account.id)) as unknown as {
      mail: { stage: string; subscriptionExpiresAt: string | null };
    };
    expect(live.mail.stage).toBe('live');
    expect(live.mail.subscriptionExpiresAt).not.toBeNull();
  });
});
