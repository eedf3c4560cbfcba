import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  type AccountBody,
  crmWrites,
  getAccount,
  graphContactWrites,
  poisonFor,
  register,
} from './account-api.js';

/**
 * "Zu V3 migrieren" on a stack whose clock is real time, i.e. after the V2 shutdown: a V2
 * account registered now is stopped, its changes are skipped, and migrating brings them over.
 */
describe('migrating a V2 account to V3 after the shutdown', () => {
  let stack: TestStack;
  const stoppedMail = 'stopped-v2@contoso.example';
  const consentMail = 'consent-v2@contoso.example';
  const choiceMail = 'choice-v2@unknown-provider.example';

  beforeAll(async () => {
    stack = await startTestStack();
    for (const mail of [stoppedMail, consentMail, choiceMail]) stack.graph.admin.createMailbox({ mail });
  });
  afterAll(() => stack?.stop());

  const migrate = (id: string, body?: unknown) =>
    stack.api('POST', `/api/accounts/${encodeURIComponent(id)}/migrate`, body);

  function expectConsentUrl(raw: unknown, account: AccountBody): void {
    expect(typeof raw).toBe('string');
    const url = new URL(String(raw));
    expect(`${url.origin}/`).toBe(new URL('/', stack.graph.authorityHost).toString());
    expect(url.pathname.replace(/^.*?\/([^/]+)\/v2\.0\/adminconsent$/, '$1')).toBe(stack.graph.tenantId);
    expect(url.pathname.endsWith(`/${stack.graph.tenantId}/v2.0/adminconsent`)).toBe(true);
    expect(url.searchParams.get('client_id')).toBe(stack.graph.clientId);
    expect(url.searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(url.searchParams.get('redirect_uri')).toBe(
      `${stack.env.PUBLIC_BASE_URL}/api/accounts/${account.id}`,
    );
  }

  // First in the file: no token has been issued to the product yet, so MSAL cannot answer from its cache.
  it('answers 409 adminConsentRequired when the token endpoint refuses for missing consent', async () => {
    const account = await register(stack, { email: consentMail, syncVersion: 'v2' });
    await stack.graph.admin.fault({ kind: 'revokeConsent', at: 'token' });
    try {
      const response = await migrate(account.id, { provider: 'microsoft365' });
      expect(response.status, response.text).toBe(409);
      expect(response.json).toMatchObject({ state: 'adminConsentRequired' });
      expectConsentUrl((response.json as { adminConsentUrl?: unknown }).adminConsentUrl, account);
    } finally {
      await stack.graph.admin.fault({ kind: 'grantConsent' });
    }
    expect((await getAccount(stack, account.id)).syncVersion).toBe('v2');
  });

  it('answers 409 adminConsentRequired when Graph answers 403 for missing consent', async () => {
    const [account] = await accountsByEmail(consentMail);
    await stack.graph.admin.fault({ kind: 'revokeConsent' });
    try {
      const response = await migrate(account?.id ?? '', { provider: 'microsoft365' });
      expect(response.status, response.text).toBe(409);
      expect(response.json).toMatchObject({ state: 'adminConsentRequired' });
      if (account)
        expectConsentUrl((response.json as { adminConsentUrl?: unknown }).adminConsentUrl, account);
      expect(response.text).not.toContain(stack.graph.clientSecret);
    } finally {
      await stack.graph.admin.fault({ kind: 'grantConsent' });
    }
    const after = await getAccount(stack, account?.id ?? '');
    expect(after.syncVersion).toBe('v2');
    expect(after.migration.state).toBe('syncStopped');
  });

  it('asks for a provider choice when the domain is not recognisably Microsoft 365', async () => {
    const account = await register(stack, { email: choiceMail, syncVersion: 'v2' });
    const noBody = await migrate(account.id);
    expect(noBody.status, noBody.text).toBe(409);
    expect(noBody.json).toMatchObject({
      state: 'providerChoiceRequired',
      choices: ['microsoft365', 'onPremises'],
    });
    const empty = await migrate(account.id, {});
    expect(empty.status, empty.text).toBe(409);
    expect(empty.json).toMatchObject({ state: 'providerChoiceRequired' });
  });

  it('answers 422 naming an unreachable on-premises host and keeps the account on V2', async () => {
    const [account] = await accountsByEmail(choiceMail);
    const response = await migrate(account?.id ?? '', {
      provider: 'onPremises',
      host: 'exchange.unknown-provider.example',
      username: 'choice',
      password: 'geheim',
    });
    expect(response.status, response.text).toBe(422);
    expect(response.json).toMatchObject({ state: 'onPremisesConnectFailed', code: 'EwsHostUnreachable' });
    expect((response.json as { message: string }).message).toContain('could not be reached');
    expect((await getAccount(stack, account?.id ?? '')).syncVersion).toBe('v2');
  });

  it('refuses bad migrate bodies with 400 JSON and unknown accounts with 404 JSON', async () => {
    const [account] = await accountsByEmail(choiceMail);
    const id = account?.id ?? '';
    const bad: unknown[] = [
      '{"provider": ',
      { provider: 'exchange2010' },
      { provider: 'onPremises' },
      { provider: 'onPremises', host: 'has space/in it', username: 'x' },
      { provider: 'microsoft365', host: 'exchange.example' },
      { provider: 'microsoft365', extra: true },
      '[]',
    ];
    for (const body of bad) {
      const response = await migrate(id, body);
      expect(response.status, `${JSON.stringify(body)} → ${response.text}`).toBe(400);
      expect(response.json, response.text).toMatchObject({ error: { code: expect.any(String) } });
    }
    const unknown = await migrate('no-such-account', { provider: 'microsoft365' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'AccountNotFound' } });
  });

  it('skips a stopped V2 account without writes or retries, and syncs what changed meanwhile after migrating', async () => {
    const account = await register(stack, { email: stoppedMail, syncVersion: 'v2' });
    expect(account.migration.state).toBe('syncStopped');
    // The banner's wording is checked at the shutdown instant (shutdown.test.ts); here: it is there.
    expect((await getAccount(stack, account.id)).migration.banner).toMatchObject({
      severity: 'critical',
      action: { label: 'Zu V3 migrieren', href: `/api/accounts/${account.id}/migrate` },
    });
    await stack.settle();
    stack.graph.admin.clearRequests();
    stack.crm.admin.clearRequests();
    const logStart = stack.logs.length;

    await stack.outlook.createContact(stoppedMail, {
      givenName: 'Olga',
      surname: 'Meanwhile',
      emailAddresses: [{ address: 'olga.meanwhile@example.org', name: 'Olga' }],
    });
    const fromCrm = await stack.crmUser.create({
      firstName: 'Carl',
      lastName: 'Meanwhile',
      emails: [{ address: 'carl.meanwhile@example.org', type: null }],
      syncAccounts: [account.id],
    });
    await stack.settle();

    expect(graphContactWrites(stack)).toEqual(['POST /users/{m}/contacts']);
    expect(crmWrites(stack)).toEqual(['POST /crm/v1/contacts']);
    expect(await poisonFor(stack, account.id)).toEqual([]);
    const logs = stack.logs.slice(logStart);
    expect(logs.filter((line) => /try \d+ of/.test(line))).toEqual([]);
    expect(
      logs.some(
        (line) => line.includes('crmChanged skipped') && line.includes(`account ${account.id} is on V2`),
      ),
      logs.join('\n'),
    ).toBe(true);

    const migrated = await migrate(account.id, { provider: 'microsoft365' });
    expect(migrated.status, migrated.text).toBe(200);
    const body = migrated.json as AccountBody;
    expect(body.syncVersion).toBe('v3');
    expect(body.provider).toBe('microsoft365');
    expect(body.migration.state).toBe('ok');
    expect(body.migration.banner).toBeNull();
    await stack.settle();

    const view = await getAccount(stack, account.id);
    expect(view.migration).toMatchObject({ state: 'ok', banner: null });
    expect(view.sync.subscriptionExpiresAt).not.toBeNull();
    const inCrm = (await stack.crmUser.all()).find(
      (c) => c.lastName === 'Meanwhile' && c.firstName === 'Olga',
    );
    expect(inCrm?.emails).toEqual([{ address: 'olga.meanwhile@example.org', type: null }]);
    expect(inCrm?.syncAccounts).toEqual([account.id]);
    const inOutlook = stack.graph.admin.contacts(stoppedMail).find((c) => c.givenName === 'Carl');
    expect(inOutlook?.surname).toBe('Meanwhile');
    expect(inOutlook?.emailAddresses).toEqual([
      expect.objectContaining({ address: 'carl.meanwhile@example.org' }),
    ]);
    expect(await poisonFor(stack, account.id)).toEqual([]);
    expect(fromCrm.id).toBeTruthy();
  });

  async function accountsByEmail(email: string): Promise<AccountBody[]> {
    const list = await stack.api('GET', '/api/accounts');
    expect(list.status).toBe(200);
    return (list.json as { items: AccountBody[] }).items.filter((a) => a.email === email);
  }
});
