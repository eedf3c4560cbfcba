import { describe, expect, it } from 'vitest';
import { crmContent, exchangeFieldsOf, projectToExchange } from '../../../shared/contact/index.js';
import { World } from './support/world.js';

/** The engine end to end over the fakes: what a user does on one side arrives on the other. */

const MAILBOX = 'makler@example.de';

async function connected(world: World) {
  const result = await world.run(world.task('connect'));
  expect(result.outcome).toBe('done');
  const { failures } = await world.drain();
  expect(failures).toEqual([]);
}

/** A CRM contact with more than Exchange can hold, tagged for acc-1 and synced. */
async function richPair(world: World) {
  await world.addAccount();
  const crm = world.crm.userCreate({
    firstName: 'Anna',
    lastName: 'Berg',
    emails: [
      { address: 'anna@work.de', type: 'business' },
      { address: 'anna@home.de', type: 'private' },
      { address: 'anna@third.de', type: null },
      { address: 'anna@fourth.de', type: 'business' },
    ],
    phones: [
      { number: '030 1234567', type: 'business' },
      { number: '030 7654321', type: 'business' },
      { number: '040 1111111', type: 'business' },
    ],
    notes: 'Nur vormittags anrufen',
    syncAccounts: ['acc-1'],
  });
  await connected(world);
  const [copy] = world.exchange.all(MAILBOX);
  if (!copy) throw new Error('not synced');
  return { crm, copy };
}

describe('sync engine over the fakes', () => {
  it('initial sync: Outlook contacts reach the CRM, tagged CRM contacts reach Outlook, a match links', async () => {
    const world = new World();
    await world.addAccount();
    const extra = world.exchange.addFolder(MAILBOX, 'Kunden');
    world.exchange.userCreate(MAILBOX, {
      givenName: 'Outlook',
      surname: 'Eins',
      emailAddresses: [{ address: 'o1@x.de' }],
    });
    world.exchange.userCreate(MAILBOX, {
      givenName: 'Outlook',
      surname: 'Zwei',
      mobilePhone: '0171 2345678',
    });
    world.exchange.userCreate(MAILBOX, { givenName: 'Im', surname: 'Ordner' }, extra);
    world.exchange.userCreate(MAILBOX, {
      givenName: 'Gerd',
      surname: 'Gleich',
      emailAddresses: [{ address: 'gerd@x.de' }],
    });
    const tagged = world.crm.userCreate({ firstName: 'Dora', lastName: 'Tag', syncAccounts: ['acc-1'] });
    const untagged = world.crm.userCreate({ firstName: 'Emil', lastName: 'Ohne' });
    const match = world.crm.userCreate({
      firstName: 'Gerd',
      lastName: 'Gleich',
      emails: [{ address: 'GERD@x.de', type: 'private' }],
      notes: 'Bestandskunde',
    });
    world.inbox.length = 0; // the state before the account was connected

    await connected(world);

    const crm = world.crm.all();
    expect(crm.map((c) => c.lastName).sort()).toEqual(['Eins', 'Gleich', 'Ohne', 'Ordner', 'Tag', 'Zwei']);
    expect(crm.filter((c) => c.syncAccounts.includes('acc-1')).length).toBe(5);
    expect(world.crm.peek(untagged.id)).toEqual(untagged);
    expect(world.crm.peek(match.id)).toMatchObject({
      notes: 'Bestandskunde',
      emails: [{ address: 'GERD@x.de', type: 'private' }],
      syncAccounts: ['acc-1'],
    });
    expect(world.crm.all().find((c) => c.lastName === 'Zwei')?.phones).toEqual([
      { number: '+491712345678', type: 'mobile' },
    ]);
    const outlook = world.exchange.all(MAILBOX);
    expect(outlook.map((c) => c.surname).sort()).toEqual(['Eins', 'Gleich', 'Ordner', 'Tag', 'Zwei']);
    expect(outlook.find((c) => c.surname === 'Tag')?.parentFolderId).toBe(
      await world.exchange.defaultFolderId(MAILBOX),
    );
    expect(world.crm.peek(tagged.id)?.version).toBe(tagged.version);
    const account = await world.account();
    expect(account.subscription).not.toBeNull();
    expect(account.pendingCreates).toEqual([]);
    expect(Object.keys(account.deltaLinks)).toHaveLength(2);
  });

  it('an Outlook edit reaches the CRM once; notes, 4th e-mail, 3rd phone and chosen types survive', async () => {
    const world = new World();
    const { crm, copy } = await richPair(world);
    expect(copy.emailAddresses?.map((e) => e.address)).toEqual([
      'anna@work.de',
      'anna@home.de',
      'anna@third.de',
    ]);
    expect(copy.businessPhones).toEqual(['+49301234567', '+49307654321']);
    world.resetCounts();

    world.exchange.userUpdate(MAILBOX, copy.id, {
      jobTitle: 'Maklerin',
      emailAddresses: [
        { address: 'anna@work.de' },
        { address: 'anna@new-home.de' },
        { address: 'anna@third.de' },
      ],
    });
    await world.drain();

    expect(world.writes()).toEqual({ exchange: 0, crm: 1 });
    const after = world.crm.peek(crm.id);
    expect(after).toMatchObject({
      position: 'Maklerin',
      notes: 'Nur vormittags anrufen',
      emails: [
        { address: 'anna@work.de', type: 'business' },
        { address: 'anna@new-home.de', type: 'private' },
        { address: 'anna@third.de', type: null },
        { address: 'anna@fourth.de', type: 'business' },
      ],
      phones: crm.phones,
    });
  });

  it('a CRM edit reaches Outlook once, within the limits, and its echo writes nothing', async () => {
    const world = new World();
    const { crm, copy } = await richPair(world);
    world.resetCounts();

    world.crm.userUpdate(crm.id, {
      lastName: 'Berg-Meier',
      emails: [{ address: 'anna@zero.de', type: 'private' }, ...crm.emails],
      phones: [...crm.phones, { number: '089 2222222', type: 'private' }],
    });
    await world.drain();

    expect(world.writes()).toEqual({ exchange: 1, crm: 0 });
    const [after] = world.exchange.all(MAILBOX);
    expect(after?.id).toBe(copy.id);
    expect(after?.surname).toBe('Berg-Meier');
    expect(after?.emailAddresses?.map((e) => e.address)).toEqual([
      'anna@zero.de',
      'anna@work.de',
      'anna@home.de',
    ]);
    expect(after?.homePhones).toEqual(['+49892222222']);
    const latest = world.crm.peek(crm.id);
    if (!latest || !after) throw new Error('missing');
    expect(exchangeFieldsOf(after, 'DE')).toEqual(
      projectToExchange(crmContent(latest), { defaultCountry: 'DE' }).fields,
    );
  });

  it('duplicated and reordered notifications and events converge without extra writes', async () => {
    const world = new World();
    const { crm, copy } = await richPair(world);
    world.resetCounts();
    world.exchange.userUpdate(MAILBOX, copy.id, { department: 'Vertrieb' });
    world.crm.userUpdate(crm.id, { company: 'Berg GmbH' });
    const messages = [...world.inbox];
    world.inbox.splice(0, world.inbox.length, ...[...messages, ...messages].reverse());
    await world.drain((size) => size - 1);
    await world.run(world.reconcile());
    await world.drain();

    expect(world.writes()).toEqual({ exchange: 1, crm: 1 });
    const latest = world.crm.peek(crm.id);
    const [outlook] = world.exchange.all(MAILBOX);
    expect(latest).toMatchObject({
      company: 'Berg GmbH',
      department: 'Vertrieb',
      notes: 'Nur vormittags anrufen',
    });
    expect(outlook).toMatchObject({ companyName: 'Berg GmbH', department: 'Vertrieb' });
  });

  it('a V2 account after the shutdown is skipped without any write', async () => {
    const world = new World({
      deadline: new Date('2025-01-01T00:00:00Z'),
      shutdown: new Date('2025-02-01T00:00:00Z'),
    });
    await world.addAccount({ syncVersion: 'v2' });
    const contact = world.crm.userCreate({ firstName: 'Vau', lastName: 'Zwei', syncAccounts: ['acc-1'] });
    world.exchange.userCreate(MAILBOX, { givenName: 'Out', surname: 'Look' });
    const before = await world.accounts.get('acc-1');
    world.resetCounts();

    for (const message of [
      world.exchangeChanged(),
      world.crmChanged(contact.id, contact.version),
      world.reconcile(),
      world.task('connect'),
    ]) {
      expect((await world.run(message)).outcome).toBe('skipped');
    }
    await world.drain();

    expect(world.writes()).toEqual({ exchange: 0, crm: 0 });
    expect(world.exchange.hooks.total(['delta', 'get', 'createSubscription'])).toBe(0);
    expect(await world.accounts.get('acc-1')).toEqual(before);
    expect(world.crm.all()).toHaveLength(1);
  });
});
