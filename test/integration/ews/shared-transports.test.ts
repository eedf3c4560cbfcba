import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { EwsTransports } from '../../../shared/adapters/ews/mail/transports.js';
import { MAILBOX, PASSWORD, seed, startEws } from './support.js';

/**
 * Contacts and mail of one on-premises mailbox share its two connections (issue 18 item 6: at
 * most two requests in flight per mailbox): the contacts adapter takes the mailbox's
 * transports from the pool the mail adapter uses, and leaves them open when it closes.
 */
let emulator: RunningEwsEmulator;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(() => emulator.stop());
beforeEach(() => seed(emulator));

describe('EwsExchangeContacts over shared transports', () => {
  it('uses the pool for every call and never closes its transports', async () => {
    let connects = 0;
    const pool = new EwsTransports(() => {
      connects++;
      return {
        url: emulator.ewsUrl,
        credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
        ca: emulator.caPem,
      };
    });
    const contacts = new EwsExchangeContacts({
      connect: () => {
        throw new Error('not used with shared transports');
      },
      transports: pool,
    });
    emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Geteilt' } });
    const folder = await contacts.defaultFolderId(MAILBOX);
    const pages = [];
    for await (const page of contacts.delta(MAILBOX, folder, null)) pages.push(page);
    expect(pages.flatMap((p) => p.upserts).map((c) => c.givenName)).toEqual(['Geteilt']);
    contacts.close();
    const again = await (await pool.get(MAILBOX)).post('<x/>').catch((e: unknown) => e);
    expect(again).not.toBeInstanceOf(Error); // the pool's transport is still open
    expect(connects).toBe(1);
    pool.close();
  });
});
