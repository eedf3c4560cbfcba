import { describe, expect, it } from 'vitest';
import { MailWorld } from '../../reliability/mail/world.js';

/**
 * The copy cache (shared/mail-sync/copy-cache.ts): a worker's next round of an account uses
 * the copies it holds from its own last round instead of reading the account's whole list,
 * unless another worker ran a round of the account since (the stamp in the account row).
 */
describe('the mail copy cache', () => {
  async function world() {
    const w = new MailWorld({ agents: 1, clients: 1, strangers: 1 });
    await w.setup();
    await w.process(0, 0); // the first import, by worker 0
    return w;
  }

  it('lets a round after this worker’s own round read no copies from the store', async () => {
    const w = await world();
    w.receive(0, 'kunde0@kunde.example', [], false, false);
    const reads = w.store.reads;
    w.clock.advance(1_000);
    await w.process(0, 0);
    expect(w.store.reads).toBe(reads);
    expect(w.crm.mails.size).toBe(1);
  });

  it('reads them again after another worker’s round, and so sees the copies that worker recorded', async () => {
    const w = await world();
    w.receive(0, 'kunde0@kunde.example', [], false, false);
    w.clock.advance(1_000);
    await w.process(0, 1); // worker 1 links it: a copy worker 0's cache does not hold
    const [copy] = w.mailboxes.copies('makler0@contoso.example');
    w.mailboxes.remove('makler0@contoso.example', copy?.id ?? '');
    const reads = w.store.reads;
    w.clock.advance(1_000);
    await w.process(0, 0); // worker 0 handles the delete
    expect(w.store.reads).toBeGreaterThan(reads);
    const [mail] = [...w.crm.mails.values()];
    expect(mail?.mailboxes).toEqual([]); // only known through the store: worker 1 recorded the copy
  });
});
