import { afterAll, beforeAll } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import type { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { contactsContract } from './contacts.contract.js';
import { ewsAdapter, MAILBOX, seed, startEws } from './support.js';

let emulator: RunningEwsEmulator;
let exchange: EwsExchangeContacts;

beforeAll(async () => {
  emulator = await startEws();
  exchange = ewsAdapter(emulator, { pageSize: 2 });
});
afterAll(async () => {
  exchange.close();
  await emulator.stop();
});

contactsContract('EWS adapter against the EWS emulator', () => ({
  exchange,
  mailbox: MAILBOX,
  reset: () => seed(emulator),
  outlookCreate: (givenName, email) =>
    emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: givenName, DisplayName: givenName },
      emails: { EmailAddress1: email },
    }).id,
  outlookEditJobTitle: (id, jobTitle) => {
    emulator.admin.outlookEdit(MAILBOX, id, { fields: { JobTitle: jobTitle } });
  },
  outlookDelete: (id) => emulator.admin.outlookDelete(MAILBOX, id),
  deletedItems: () => {
    const trash = emulator.admin.folderId(MAILBOX, 'deleteditems');
    return [...emulator.admin.mailbox(MAILBOX).items.values()].filter((i) => i.folderId === trash).length;
  },
  expireSyncStates: () => emulator.admin.expireSyncStates(MAILBOX),
}));
