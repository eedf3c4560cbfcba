import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { clientFor, startGraph } from './support.js';

/**
 * "later updates to other properties may cause an automatically generated value to overwrite
 * the displayName value you have specified. To preserve a pre-existing value, always include it
 * as displayName in an update operation" (MGDC contact-update.md, displayName). And the window
 * syncs e-mail addresses, not their Outlook display names: those must survive our writes.
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph());
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
});

async function outlookContact(body: Record<string, unknown>): Promise<string> {
  const created = (await clientFor(emulator)
    .api(`/users/${MAILBOX}/contacts`)
    .header('Prefer', 'IdType="ImmutableId"')
    .post(body)) as { id: string };
  return created.id;
}

describe('what the user chose in Outlook survives our writes', () => {
  it('keeps a displayName the user chose when we change the name fields', async () => {
    const id = await outlookContact({
      givenName: 'Anna',
      surname: 'Schmidt',
      displayName: 'Anni (Nachbarin)',
    });
    const current = await exchange.get(MAILBOX, id);
    if (!current) throw new Error('contact missing');
    const updated = await exchange.update(
      MAILBOX,
      id,
      { surname: 'Müller' },
      current.changeKey ?? undefined,
      current,
    );
    expect(updated).toMatchObject({ surname: 'Müller', displayName: 'Anni (Nachbarin)' });
  });

  it('lets Exchange regenerate a displayName it generated itself', async () => {
    const id = await outlookContact({ givenName: 'Anna', surname: 'Schmidt' });
    const current = await exchange.get(MAILBOX, id);
    if (!current) throw new Error('contact missing');
    expect(current.displayName).toBe('Anna Schmidt');
    const updated = await exchange.update(MAILBOX, id, { surname: 'Müller' }, undefined, current);
    expect(updated.displayName).toBe('Anna Müller');
  });

  it('keeps each address’s display name from Outlook; a new address is named by itself', async () => {
    const id = await outlookContact({
      givenName: 'Anna',
      emailAddresses: [
        { address: 'anna@example.de', name: 'Anna privat' },
        { address: 'a.schmidt@work.example', name: 'Anna (Büro)' },
      ],
    });
    const current = await exchange.get(MAILBOX, id);
    if (!current) throw new Error('contact missing');
    const updated = await exchange.update(
      MAILBOX,
      id,
      { emailAddresses: ['A.Schmidt@work.example', 'neu@example.de'] },
      undefined,
      current,
    );
    expect(updated.emailAddresses).toEqual([
      { address: 'A.Schmidt@work.example', name: 'Anna (Büro)' },
      { address: 'neu@example.de', name: 'neu@example.de' },
    ]);
    const [batched] = await exchange.batchUpdate(MAILBOX, [
      { id, fields: { givenName: 'Anne', emailAddresses: ['neu@example.de'] }, current: updated },
    ]);
    expect(batched).toMatchObject({
      ok: true,
      contact: {
        displayName: 'Anne',
        emailAddresses: [{ address: 'neu@example.de', name: 'neu@example.de' }],
      },
    });
  });
});
