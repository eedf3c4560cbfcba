import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { sendRaw } from './support/raw-http.js';
import { secretScanner } from './support/secret-scan.js';
import { accountKeyOf, signedValidEvent } from './support/two-tenants.js';

/**
 * A whole run — register, Outlook and CRM changes both ways, a forged CRM event, a
 * notification with a wrong clientState, failing writes that are retried — and then no
 * secret, token or clientState may appear in any host log line or any answer the API gave.
 */
describe('no secrets in logs or answers', () => {
  let stack: TestStack;
  const mailbox = 'leaks@contoso.example';
  const answers: string[] = [];

  async function api(method: string, path: string, body?: unknown) {
    const answer = await stack.api(method, path, body);
    answers.push(answer.text);
    return answer;
  }

  async function issuedToken(): Promise<string> {
    const response = await fetch(`${stack.graph.url}/${stack.graph.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: stack.graph.clientId,
        client_secret: stack.graph.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }),
    });
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(token).toMatch(/^eyJ/);
    return token;
  }

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('runs a full scenario, and no log line or answer holds a secret', { timeout: 180_000 }, async () => {
    stack.graph.admin.createMailbox({ mail: mailbox });
    const olga = await stack.outlook.createContact(mailbox, { givenName: 'Olga', surname: 'Outlook' });
    const registered = await api('POST', '/api/accounts', { email: mailbox, syncVersion: 'v3' });
    expect(registered.status).toBe(201);
    const accountId = (registered.json as { id: string }).id;
    await stack.settle();
    await stack.outlook.updateContact(mailbox, olga.id, { jobTitle: 'Maklerin' });
    await stack.settle();

    const carl = await stack.crmUser.create({
      firstName: 'Carl',
      lastName: 'Crm',
      syncAccounts: [accountId],
    });
    await stack.settle();
    await stack.crmUser.update(carl.id, { company: 'Immo GmbH' });
    await stack.settle();
    await stack.crmUser.delete(carl.id);
    await stack.settle();

    const forged = signedValidEvent('not the webhook secret');
    const refused = await sendRaw(stack.host.url, forged);
    answers.push(refused.text);
    expect(refused.status).toBe(401);
    const [subscription] = stack.graph.admin.subscriptions();
    const wrongState = await api('POST', '/api/graph/notifications', {
      value: [
        { subscriptionId: subscription?.id, clientState: 'not-the-client-state', changeType: 'updated' },
      ],
    });
    expect(wrongState.json).toMatchObject({ accepted: 0, rejected: 1 });

    // Failing writes, retried past the adapters' own retries (so the queue retries and logs):
    // the CRM answers 503 eight times, then Graph does.
    stack.crm.admin.injectFault({ kind: 'status', status: 503, count: 8 });
    await stack.outlook.createContact(mailbox, { givenName: 'Fiona', surname: 'Retry' });
    await stack.settle();
    expect((await stack.crmUser.all()).some((c) => c.lastName === 'Retry')).toBe(true);
    await stack.graph.admin.fault({ kind: 'status', status: 503, count: 8 });
    await stack.crmUser.create({ firstName: 'Gina', lastName: 'Graphretry', syncAccounts: [accountId] });
    // A 503 without Retry-After is backed off exponentially (as Graph asks), so eight of them
    // take longer than the default settle.
    await stack.settle(90_000);
    expect(stack.graph.admin.contacts(mailbox).some((c) => c.surname === 'Graphretry')).toBe(true);
    expect(stack.crm.admin.requests().entries.some((e) => e.status === 503)).toBe(true);
    expect(stack.graph.admin.requests().entries.some((e) => e.status === 503)).toBe(true);
    answers.push(
      (await api('GET', `/api/accounts/${accountId}`)).text,
      (await api('GET', '/api/accounts')).text,
    );
    answers.push((await api('GET', '/api/health')).text);

    const secrets: Record<string, string> = {
      GRAPH_CLIENT_SECRET: stack.env.GRAPH_CLIENT_SECRET ?? '',
      CRM_TOKEN: stack.env.CRM_TOKEN ?? '',
      CRM_WEBHOOK_SECRET: stack.env.CRM_WEBHOOK_SECRET ?? '',
      AccountKey: accountKeyOf(stack.env.STORAGE_CONNECTION ?? ''),
      'an issued bearer token': await issuedToken(),
      // Sign-in (issue 15): the API tokens every call above carried, the demo users' passwords,
      // the service caller's secret and the host's master key.
      'the API token of the calls': await stack.token('admin'),
      DEMO_AGENT_TOKEN: stack.env.DEMO_AGENT_TOKEN ?? '',
      DEMO_ADMIN_TOKEN: stack.env.DEMO_ADMIN_TOKEN ?? '',
      DEMO_AGENT_PASSWORD: stack.env.DEMO_AGENT_PASSWORD ?? '',
      DEMO_ADMIN_PASSWORD: stack.env.DEMO_ADMIN_PASSWORD ?? '',
      SERVICE_CLIENT_SECRET: stack.env.SERVICE_CLIENT_SECRET ?? '',
      FUNCTIONS_MASTER_KEY: stack.host.masterKey,
    };
    for (const s of stack.graph.admin.subscriptions())
      secrets[`clientState of ${s.id}`] = s.clientState ?? '';
    for (const [name, value] of Object.entries(secrets))
      expect(value.length, name).toBeGreaterThanOrEqual(16);
    const scan = secretScanner(secrets);

    // The check itself can fail: the same scanner finds each secret planted in a line like ours.
    for (const [name, value] of Object.entries(secrets))
      expect(scan(`error [crmToExchange] request failed: ${value}`).map((f) => f.name)).toContain(name);

    expect(stack.logs.length).toBeGreaterThan(10);
    // The failing writes really went through the queue's retry, which logs the error it met.
    expect(stack.logs.some((line) => /try \d+ of .* failed: CRM POST .* 503/.test(line))).toBe(true);
    expect(stack.logs.some((line) => /try \d+ of .* failed: .*503 ServiceUnavailable/.test(line))).toBe(true);
    const leaks = [...stack.logs, ...answers].flatMap((text) =>
      scan(text).map((f) => `${f.name} in: ${text.slice(0, 200)} (…${f.excerpt}…)`),
    );
    expect(leaks).toEqual([]);
  });
});
