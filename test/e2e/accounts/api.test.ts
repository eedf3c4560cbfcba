import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTLOOK_COLUMNS } from '../../../shared/export/index.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { type AccountBody, getAccount } from './account-api.js';

/** Subscriptions kept alive by the timer and by lifecycle events, the CSV export and the accounts API's edge. */
describe('accounts API: subscriptions, export and validation', () => {
  let stack: TestStack;
  const mail = 'api-v3@contoso.example';
  let account: AccountBody;

  beforeAll(async () => {
    stack = await startTestStack();
    stack.graph.admin.createMailbox({ mail });
    account = (await stack.registerAccount({ email: mail, syncVersion: 'v3' })) as unknown as AccountBody;
  });
  afterAll(() => stack?.stop());

  const stored = async () => {
    const row = await stack.runtime.deps.accounts.get(account.id);
    if (!row) throw new Error('the account row is gone');
    return row;
  };
  const emulatorSubscription = (id: string) => stack.graph.admin.subscriptions().find((s) => s.id === id);

  it('renews a subscription that expires soon when the subscriptionRenewal timer runs', async () => {
    const before = await stored();
    const subscription = before.value.subscription;
    if (!subscription) throw new Error('the initial sync left no subscription');
    // Bring the subscription (in Graph and in our row) within an hour of expiring.
    const soon = new Date(Date.now() + 60 * 60_000).toISOString();
    await stack.outlook.request('PATCH', `/subscriptions/${subscription.id}`, { expirationDateTime: soon });
    await stack.runtime.deps.accounts.put(
      { ...before.value, subscription: { ...subscription, expirationDateTime: soon } },
      before.etag,
    );

    await stack.host.runTimer('subscriptionRenewal');
    await stack.settle();

    const renewed = emulatorSubscription(subscription.id);
    expect(renewed, 'the same subscription lives on').toBeDefined();
    const sixDays = Date.now() + 6 * 24 * 60 * 60_000;
    expect(Date.parse(renewed?.expirationDateTime ?? '')).toBeGreaterThan(sixDays);
    const after = (await stored()).value.subscription;
    expect(after?.id).toBe(subscription.id);
    expect(Date.parse(after?.expirationDateTime ?? '')).toBeGreaterThan(sixDays);
    expect(
      Date.parse((await getAccount(stack, account.id)).sync.subscriptionExpiresAt ?? ''),
    ).toBeGreaterThan(sixDays);
  });

  it('recreates a removed subscription and resyncs what changed while it was gone', async () => {
    const old = (await stored()).value.subscription;
    if (!old) throw new Error('no subscription to remove');
    // The lifecycle event arrives late, so the Outlook change below is made with no subscription.
    await stack.graph.admin.fault({ kind: 'delayNotifications', count: 1, ms: 1_500 });
    await stack.graph.admin.fault({ kind: 'removeSubscription', id: old.id });
    expect(emulatorSubscription(old.id)).toBeUndefined();
    await stack.outlook.createContact(mail, {
      givenName: 'Rita',
      surname: 'Removed',
      emailAddresses: [{ address: 'rita.removed@example.org', name: 'Rita' }],
    });
    await stack.settle();

    const fresh = (await stored()).value.subscription;
    expect(fresh).not.toBeNull();
    expect(fresh?.id).not.toBe(old.id);
    expect(emulatorSubscription(fresh?.id ?? '')).toBeDefined();
    const inCrm = (await stack.crmUser.all()).find((c) => c.lastName === 'Removed');
    expect(inCrm?.emails).toEqual([{ address: 'rita.removed@example.org', type: null }]);
    expect(inCrm?.syncAccounts).toEqual([account.id]);
  });

  it('exports a contact with 5 e-mails, 4 phones and awkward notes as Outlook CSV with nothing lost', async () => {
    const emails = [1, 2, 3, 4, 5].map((n) => ({
      address: `export${n}@example.org`,
      type: n % 2 ? ('business' as const) : null,
    }));
    const phones = [
      { number: '+49301110001', type: 'business' as const },
      { number: '+49301110002', type: 'business' as const },
      { number: '+49301110003', type: 'private' as const },
      { number: '+491701110004', type: 'mobile' as const },
    ];
    const notes = 'Erstkontakt: Messe, Halle 3\n"Wichtig": Rückruf, bitte\nEnde';
    const contact = await stack.crmUser.create({
      firstName: 'Erika',
      lastName: 'Export',
      emails,
      phones,
      notes,
      syncAccounts: [account.id],
    });
    await stack.settle();

    const response = await fetch(`${stack.host.url}/api/accounts/${account.id}/contacts.csv`, {
      headers: { authorization: `Bearer ${await stack.token()}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString('utf8')) as string[][];
    const [header, ...data] = rows;
    expect(header?.slice(0, OUTLOOK_COLUMNS.length)).toEqual([...OUTLOOK_COLUMNS]);
    const crmIdAt = header?.indexOf('CRM ID') ?? -1;
    expect(crmIdAt).toBeGreaterThanOrEqual(0);
    const row = data.find((r) => r[crmIdAt] === contact.id);
    expect(row, 'the contact has a row').toBeDefined();
    const cells = row ?? [];
    for (const email of emails) expect(cells).toContain(email.address);
    for (const phone of phones) expect(cells).toContain(phone.number);
    expect(cells[header?.indexOf('Notes') ?? -1]).toBe(notes);
    expect(cells[header?.indexOf('First Name') ?? -1]).toBe('Erika');
    expect(cells[header?.indexOf('Last Name') ?? -1]).toBe('Export');
    // The round trip through Outlook (3 e-mails at most) did not cut the CRM's overflow.
    expect((await stack.crmUser.get(contact.id)).emails).toHaveLength(5);
  });

  it('refuses bad registrations with 400 JSON and a duplicate e-mail with 409', async () => {
    const bad: unknown[] = [
      '{"email": "x@contoso.example", ',
      { email: 'fresh@contoso.example', syncVersion: 'v3', clientState: 'mine' },
      { email: 'not-an-address', syncVersion: 'v3' },
      { email: 'fresh@contoso.example', syncVersion: 'v4' },
      { email: 'fresh@contoso.example' },
      { email: 'fresh@contoso.example', syncVersion: 'v3', defaultCountry: 'XX' },
      [],
    ];
    for (const body of bad) {
      const response = await stack.api('POST', '/api/accounts', body);
      expect(response.status, `${JSON.stringify(body)} → ${response.text}`).toBe(400);
      expect(response.json, response.text).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
      });
    }
    const duplicate = await stack.api('POST', '/api/accounts', {
      email: mail.toUpperCase(),
      syncVersion: 'v2',
    });
    expect(duplicate.status, duplicate.text).toBe(409);
    expect(duplicate.json).toMatchObject({ error: { code: 'AccountExists' } });
  });

  it('answers 404 JSON for an unknown account', async () => {
    for (const path of ['/api/accounts/no-such-id', '/api/accounts/no-such-id/contacts.csv']) {
      const response = await stack.api('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.json, path).toMatchObject({ error: { code: 'AccountNotFound' } });
    }
  });

  it('lists registered accounts without clientState or delta links', async () => {
    const second = await stack.api('POST', '/api/accounts', {
      email: 'api-v2@contoso.example',
      syncVersion: 'v2',
    });
    expect(second.status, second.text).toBe(201);
    await stack.settle();
    const list = await stack.api('GET', '/api/accounts');
    expect(list.status).toBe(200);
    const items = (list.json as { items: AccountBody[] }).items;
    expect(items.map((a) => a.email).sort()).toEqual(['api-v2@contoso.example', mail]);
    const row = (await stored()).value;
    expect(Object.keys(row.deltaLinks).length).toBeGreaterThan(0);
    const secrets = [row.subscription?.clientState ?? 'no clientState?', ...Object.values(row.deltaLinks)];
    for (const text of [list.text, second.text, JSON.stringify(await getAccount(stack, account.id))]) {
      expect(text).not.toMatch(/clientState|deltaLink/i);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
