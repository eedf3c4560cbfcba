import { describe, expect, it } from 'vitest';
import { type MailCommand, runMailSequence } from './model.js';

/**
 * Sequences the mail model found (shrunk), kept as fixed regressions: each broke an invariant
 * before its fix and must now drain to a consistent state.
 */
describe('mail model regressions', () => {
  it('adds a contact who gains an address to an e-mail already linked to another contact', async () => {
    // Before: the relink looked only at unlinked mail, so kunde0 (now with fremd0's address) never got the e-mail.
    const commands: MailCommand[] = [
      { kind: 'send', agent: 0, to: [], cc: [5, 3], bcc: [1], priv: false },
      { kind: 'processTwo', a: 0, b: 0 },
      { kind: 'gainAddress', client: 0, stranger: 0 },
      { kind: 'duplicateNotifications', count: 1 },
      { kind: 'receive', agent: 0, from: 2, cc: [], priv: false, bulk: false },
      { kind: 'processTwo', a: 0, b: 0 },
      { kind: 'process', index: 0, worker: 0 },
    ];
    const world = await runMailSequence(commands);
    const mail = [...world.crm.mails.values()].find((m) =>
      m.participants.some((p) => p.address === 'fremd0@fremd.example'),
    );
    expect(mail?.contactIds).toEqual(['c0', 'c1']);
  });

  it('sends the CRM the state our store got just before a worker died, when the replay plans no change', async () => {
    // Before: the replay saw our store already without the mailbox, planned nothing, and the CRM kept listing it.
    const commands: MailCommand[] = [
      { kind: 'send', agent: 1, to: [], cc: [2], bcc: [], priv: false },
      { kind: 'process', index: 1, worker: 0 },
      { kind: 'categorise', agent: 1, n: 0, priv: true },
      { kind: 'duplicateNotifications', count: 1 },
      { kind: 'process', index: 0, worker: 0 },
      { kind: 'receive', agent: 0, from: 2, cc: [], priv: false, bulk: false },
      { kind: 'processTwo', a: 14, b: 0 },
      { kind: 'crash', point: 'putMail:after' },
      { kind: 'move', agent: 0, n: 0, to: 'inbox' },
      { kind: 'process', index: 0, worker: 0 },
      { kind: 'duplicateNotifications', count: 1 },
      { kind: 'categorise', agent: 0, n: 0, priv: false },
      { kind: 'process', index: 0, worker: 0 },
    ];
    const world = await runMailSequence(commands);
    expect(world.crashes.fired).toBeGreaterThan(0);
  });
});
