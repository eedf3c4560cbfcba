import { afterAll, beforeAll } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { startGraph } from '../graph/support.js';
import { contactsContract } from './contacts.contract.js';

/** The same contract against the Graph adapter: the scenarios hold for both providers. */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph({}, { pageSize: 2 }));
});
afterAll(() => emulator.stop());

contactsContract('Graph adapter against the Graph emulator', () => ({
  exchange,
  mailbox: MAILBOX,
  reset: () => {
    emulator.admin.reset();
    emulator.admin.createMailbox({ mail: MAILBOX });
  },
  // The adapter reads immutable ids; the Outlook user acts on the regular ones.
  outlookCreate: (givenName, email) =>
    String(
      emulator.admin.outlook.createContact(MAILBOX, {
        givenName,
        emailAddresses: [{ address: email, name: email }],
      })['immutableId'],
    ),
  outlookEditJobTitle: (id, jobTitle) => {
    emulator.admin.outlook.updateContact(MAILBOX, regularId(id), { jobTitle });
  },
  outlookDelete: (id) => emulator.admin.outlook.deleteContact(MAILBOX, regularId(id)),
  deletedItems: () => emulator.admin.outlook.deletedItems(MAILBOX).length,
  expireSyncStates: () => emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: MAILBOX }),
}));

function regularId(immutableId: string): string {
  const contact = emulator.admin.contacts(MAILBOX).find((c) => c['immutableId'] === immutableId);
  return String(contact?.['id'] ?? immutableId);
}
