import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import type { EwsExchangeContacts } from '../../../shared/adapters/ews/exchange-contacts.js';
import { World } from '../../unit/sync/support/world.js';
import { ewsAdapter, MAILBOX, seed, startEws } from './support.js';

/**
 * The unchanged sync engine with the EWS adapter as its ExchangeContacts (issue 18: "a second
 * adapter behind the same port must not need engine changes"). CRM, mirror and queues are the
 * engine tests' in-memory fakes; Exchange is the EWS emulator. There are no notifications:
 * each `poll()` is what the polling timer would enqueue.
 */
let emulator: RunningEwsEmulator;
let ews: EwsExchangeContacts;
let world: World;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(async () => {
  ews?.close();
  await emulator.stop();
});
beforeEach(async () => {
  seed(emulator);
  ews?.close();
  ews = ewsAdapter(emulator);
  world = new World();
  world.deps.exchange = ews;
  await world.addAccount({ email: MAILBOX, userId: MAILBOX, provider: 'onPremises' });
});

async function poll(): Promise<void> {
  world.inbox.push(world.exchangeChanged());
  const { failures } = await world.drain();
  expect(failures).toEqual([]);
}

describe('the sync engine over EWS', () => {
  it('brings an Outlook contact into the CRM, tagged and linked, once', async () => {
    emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Olga', Surname: 'Outlook', DisplayName: 'Olga Outlook' },
      emails: { EmailAddress1: 'olga@example.de' },
      phones: { BusinessPhone: '+49 421 1234567' },
    });
    await poll();
    await poll(); // a second poll finds no change: nothing new in the CRM
    const crm = world.crm.all();
    expect(crm).toHaveLength(1);
    expect(crm[0]).toMatchObject({ firstName: 'Olga', lastName: 'Outlook', syncAccounts: ['acc-1'] });
    expect(crm[0]?.emails.map((e) => e.address)).toEqual(['olga@example.de']);
  });

  it('pushes a tagged CRM contact into the mailbox with its marker, and its echo changes nothing', async () => {
    const contact = world.crm.userCreate({
      firstName: 'Carl',
      lastName: 'Crm',
      syncAccounts: ['acc-1'],
      emails: [{ address: 'carl@example.de', type: null }],
      notes: 'nur im CRM',
    });
    world.inbox.push(world.crmChanged(contact.id, contact.version));
    const { failures } = await world.drain();
    expect(failures).toEqual([]);
    const stored = emulator.admin.contacts(MAILBOX);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.data.fields).toMatchObject({ GivenName: 'Carl', Surname: 'Crm' });
    expect(stored[0]?.data.fields['Body']).toBeUndefined(); // the notes never reach Exchange
    expect(Object.values(stored[0]?.data.extended ?? {})).toHaveLength(1); // the link marker
    const version = world.crm.all()[0]?.version;
    await poll(); // SyncFolderItems reports our own create: an echo
    expect(world.crm.all()[0]?.version).toBe(version);
    expect(emulator.admin.contacts(MAILBOX)).toHaveLength(1);
  });

  it('carries an Outlook edit to the CRM and a CRM edit back to Outlook', async () => {
    const item = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Eva', Surname: 'Edit', DisplayName: 'Eva Edit' },
    });
    await poll();
    emulator.admin.outlookEdit(MAILBOX, item.id, { fields: { JobTitle: 'Maklerin' } });
    await poll();
    const [crm] = world.crm.all();
    expect(crm?.position).toBe('Maklerin');
    world.crm.userUpdate(crm?.id ?? '', { company: 'Immo GmbH' });
    const { failures } = await world.drain();
    expect(failures).toEqual([]);
    expect(emulator.admin.mailbox(MAILBOX).items.get(item.id)?.data.fields).toMatchObject({
      CompanyName: 'Immo GmbH',
      JobTitle: 'Maklerin',
    });
  });
});
