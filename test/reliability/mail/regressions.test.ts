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

  it('takes a mailbox off an e-mail in the CRM before our store when the reconcile finds no copy behind it', async () => {
    // Before: the reconcile wrote our store first; a worker dying then left the CRM listing the
    // mailbox, and our store (no longer listing it) gave nothing to find it by again.
    const commands = JSON.parse(SOAK_FOUND) as MailCommand[];
    const world = await runMailSequence(commands);
    expect(world.crashes.fired).toBeGreaterThan(0);
  });
});

/** Found by `npm run soak -- --model mail` (seed 2131657053), shrunk a little. */
const SOAK_FOUND = `[{"kind":"send","agent":1,"to":[0],"cc":[],"bcc":[],"priv":false},{"kind":"process","index":0,"worker":0},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":false},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":false},{"kind":"processTwo","a":0,"b":38},{"kind":"crash","point":"putMail:after"},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":true},{"kind":"crash","point":"crmUpsert:after"},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":false},{"kind":"process","index":38,"worker":0},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":false},{"kind":"process","index":9,"worker":0},{"kind":"send","agent":0,"to":[],"cc":[3],"bcc":[],"priv":true},{"kind":"duplicateNotifications","count":2},{"kind":"move","agent":0,"n":46,"to":"deleteditems"},{"kind":"process","index":47,"worker":0},{"kind":"categorise","agent":0,"n":8,"priv":false},{"kind":"dropNotifications","count":3},{"kind":"loseDeltaPage","agent":1,"folder":"sentitems"},{"kind":"send","agent":1,"to":[4,1],"cc":[],"bcc":[2],"priv":false},{"kind":"crash","point":"crmUpsert:before"},{"kind":"process","index":18,"worker":1},{"kind":"move","agent":0,"n":13,"to":"deleteditems"},{"kind":"process","index":50,"worker":1},{"kind":"sweep","agent":0},{"kind":"process","index":33,"worker":1},{"kind":"crash","point":"accountPut:after"},{"kind":"move","agent":1,"n":7,"to":"archive"},{"kind":"process","index":11,"worker":0},{"kind":"processTwo","a":36,"b":7},{"kind":"restart","worker":1},{"kind":"processTwo","a":29,"b":47},{"kind":"categorise","agent":0,"n":47,"priv":false},{"kind":"receive","agent":0,"from":2,"cc":[],"priv":false,"bulk":true},{"kind":"processTwo","a":34,"b":29},{"kind":"crash","point":"putMail:after"},{"kind":"receive","agent":0,"from":5,"cc":[],"priv":false,"bulk":false},{"kind":"categorise","agent":1,"n":23,"priv":true}]`;
