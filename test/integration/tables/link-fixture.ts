import { randomUUID } from 'node:crypto';
import type { ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import { EMPTY_FIELDS } from '../../../shared/contact/index.js';
import type { ContactLink } from '../../../shared/sync/link.js';

export const emptyFields = (): ExchangeFields => ({
  ...EMPTY_FIELDS,
  givenName: 'Erika',
  surname: 'Mustermann',
  emailAddresses: ['erika@example.de'],
});

/** A link with fresh ids; Graph-style ids contain `/`, `+` and `=` on purpose. */
export function makeLink(overrides: Partial<ContactLink> = {}): ContactLink {
  const n = randomUUID().slice(0, 8);
  return {
    accountId: `acc-${n}`,
    linkId: randomUUID(),
    crmId: `crm/${n}?#`,
    exchangeId: `AAMkAGI2/${n}+x/y==`,
    exchangeFolderId: 'AAMkAGFolder/+=',
    changeKey: 'EQAAABYAAA+=',
    crmVersion: 1,
    snapshot: emptyFields(),
    snapshotHash: 'hash-1',
    origin: 'exchange',
    syncedAt: '2025-06-01T10:00:00.000Z',
    ...overrides,
  };
}
