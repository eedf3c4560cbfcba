import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { setMailboxTimeZone } from '../../../local/emulators/ews/user-config.js';
import type { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { EMPTY_FIELDS } from '../../../shared/contact/index.js';
import { ewsAdapter, MAILBOX, seed, startEws } from './support.js';

/**
 * Birthdays over EWS are dates of the mailbox's time zone (the port's contract). Exchange
 * keeps the contact's Birthday (PidTagBirthday) as the instant of local midnight in the zone of
 * the client that wrote it; the mailbox's zone is Outlook on the web's OWA.UserOptions
 * `timezone` (GetUserConfiguration). So: read the instant in that zone, write its local midnight.
 */
let emulator: RunningEwsEmulator;
let exchange: EwsExchangeContacts;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(async () => {
  exchange?.close();
  await emulator.stop();
});
beforeEach(() => {
  seed(emulator);
  exchange?.close();
  exchange = ewsAdapter(emulator);
});

function withBirthday(instant: string) {
  return emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Bea', Birthday: instant } });
}

function zoneReads(): number {
  return emulator.admin.requests().byOperation['GetUserConfiguration'] ?? 0;
}

describe('birthdays over EWS, in the mailbox time zone', () => {
  it("reads Outlook's local midnight as its date in a Berlin mailbox (the default zone)", async () => {
    const item = withBirthday('1980-04-30T22:00:00Z'); // 1 May 1980, 00:00 CEST
    expect((await exchange.get(MAILBOX, item.id))?.birthday).toBe('1980-05-01');
  });

  it('reads it in a mailbox east of UTC+12, where a fixed rule would be a day off', async () => {
    setMailboxTimeZone(emulator.admin.mailbox(MAILBOX), 'Tonga Standard Time');
    const item = withBirthday('1980-04-30T11:00:00Z'); // 1 May 1980, 00:00 in Nuku'alofa (UTC+13)
    expect((await exchange.get(MAILBOX, item.id))?.birthday).toBe('1980-05-01');
  });

  it("writes the local midnight of the mailbox's zone, as Outlook there does", async () => {
    setMailboxTimeZone(emulator.admin.mailbox(MAILBOX), 'Pacific Standard Time');
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const created = await exchange.create(
      MAILBOX,
      folderId,
      { ...EMPTY_FIELDS, givenName: 'Paul', birthday: '1980-05-01' },
      'link-1',
    );
    const stored = emulator.admin.mailbox(MAILBOX).items.get(created.id)?.data.fields['Birthday'];
    expect(stored).toBe('1980-05-01T07:00:00Z'); // 00:00 PDT; midnight UTC would show 30 April there
    expect(created.birthday).toBe('1980-05-01');
    const updated = await exchange.update(MAILBOX, created.id, { birthday: '1975-12-24' });
    expect(emulator.admin.mailbox(MAILBOX).items.get(created.id)?.data.fields['Birthday']).toBe(
      '1975-12-24T08:00:00Z', // 00:00 PST
    );
    expect(updated.birthday).toBe('1975-12-24');
  });

  it('takes Europe/Berlin when the user never chose a zone (no OWA.UserOptions)', async () => {
    setMailboxTimeZone(emulator.admin.mailbox(MAILBOX), null);
    const item = withBirthday('1980-04-30T22:00:00Z');
    expect((await exchange.get(MAILBOX, item.id))?.birthday).toBe('1980-05-01');
  });

  it('reads the zone only for a birthday, and once per mailbox', async () => {
    const plain = emulator.admin.outlookCreate(MAILBOX, { fields: { GivenName: 'Ohne' } });
    await exchange.get(MAILBOX, plain.id);
    expect(zoneReads()).toBe(0);
    const a = withBirthday('1980-04-30T22:00:00Z');
    const b = withBirthday('1990-01-01T23:00:00Z');
    await exchange.get(MAILBOX, a.id);
    await exchange.get(MAILBOX, b.id);
    expect(zoneReads()).toBe(1);
    expect((await exchange.get(MAILBOX, b.id))?.birthday).toBe('1990-01-02');
  });
});
