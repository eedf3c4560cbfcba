import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsExchangeContacts, EwsMailboxTransports } from '../../../shared/adapters/ews/exchange-contacts.js';
import { EwsExchangeMail } from '../../../shared/adapters/ews/mail/ews-exchange-mail.js';
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

  it('a refused sign-in drops the transport: the next call reads the password again', async () => {
    let password = 'the-old-one';
    let connects = 0;
    const contacts = new EwsExchangeContacts({
      connect: () => {
        connects++;
        return {
          url: emulator.ewsUrl,
          credentials: { username: 'CONTOSO\\anna', password },
          ca: emulator.caPem,
        };
      },
    });
    const refused = await contacts.defaultFolderId(MAILBOX).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'auth' });
    password = PASSWORD; // the account was connected again with the new password
    await expect(contacts.defaultFolderId(MAILBOX)).resolves.toEqual(expect.any(String));
    expect(connects).toBe(2);
    contacts.close();
  });

  it('one pool serves the contacts and the mail adapter of a mailbox: two connections, not four', async () => {
    const pool = new EwsMailboxTransports(() => ({
      url: emulator.ewsUrl,
      credentials: { username: 'CONTOSO\\anna', password: PASSWORD },
      ca: emulator.caPem,
    }));
    const contacts = new EwsExchangeContacts({
      connect: () => Promise.reject(new Error('unused')),
      transports: pool,
    });
    const mail = new EwsExchangeMail({ transports: pool });
    for (let i = 0; i < 6; i++) emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: `P${i}` } });
    const folder = await contacts.defaultFolderId(MAILBOX);
    await contacts.listFolders(MAILBOX);
    const ids = emulator.admin.contacts(MAILBOX).map((c) => c.id);
    emulator.admin.latencyMs = 30;
    emulator.admin.maxInFlight = 0;
    await Promise.all([
      ...ids.map((id) => contacts.get(MAILBOX, id)),
      mail.ownAddresses(MAILBOX).catch(() => []),
      contacts.listFolders(MAILBOX),
    ]);
    expect(folder).toEqual(expect.any(String));
    expect(await pool.get(MAILBOX)).toBe(await pool.get(MAILBOX.toUpperCase()));
    expect(emulator.admin.maxInFlight).toBe(2); // contacts and mail together, on two connections
    pool.close();
  });
});
