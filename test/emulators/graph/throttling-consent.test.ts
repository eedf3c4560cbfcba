import pLimit from 'p-limit';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call, graphClient } from './support.js';

let emulator: RunningGraphEmulator;
let token: string;
const mail = 'dora@contoso.test';

beforeAll(async () => {
  emulator = await startGraphEmulator({
    tlsDir: inject('tlsDir'),
    throttle: { requestsPerWindow: 5, windowMs: 1000, concurrency: 2 },
    // Latency keeps parallel requests in flight together, so the concurrency limit is observable.
    latencyMs: 150,
  });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail });
});

describe('Outlook throttling per app and mailbox', () => {
  it('answers 429 ApplicationThrottled with Retry-After beyond the concurrency limit', async () => {
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => call(emulator, token, 'GET', `/users/${mail}/contacts`)),
    );
    const throttled = responses.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(throttled[0]?.body).toMatchObject({ error: { code: 'ApplicationThrottled' } });
    const log = emulator.admin.requests();
    expect(log.throttling.peakConcurrency).toBe(2);
    expect(log.throttling.throttled429).toBe(throttled.length);
  });

  it('answers 429 once the window budget is spent, and records what was admitted', async () => {
    await emulator.admin.fault({ kind: 'latency', ms: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call(emulator, token, 'GET', `/users/${mail}/contacts`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(emulator.admin.requests().throttling.peakPerWindow).toBe(5);
  });

  it('lets a polite client through: the Graph client honours Retry-After and stays inside the limits', async () => {
    const client = graphClient(emulator);
    const limit = pLimit(2);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limit(() => client.api(`/users/${mail}/contacts`).post({ givenName: `P${i}` })),
      ),
    );
    expect(results).toHaveLength(8);
    const { throttling } = emulator.admin.requests();
    expect(throttling.peakConcurrency).toBeLessThanOrEqual(2);
    expect(throttling.peakPerWindow).toBeLessThanOrEqual(5);
    expect(emulator.admin.contacts(mail)).toHaveLength(8);
  });

  it('serves injected 503 bursts that the Graph client retries', async () => {
    await emulator.admin.fault({ kind: 'status', status: 503, count: 1, route: 'GET /users/{m}/contacts' });
    const page = await graphClient(emulator).api(`/users/${mail}/contacts`).get();
    expect(page.value).toEqual([]);
    expect(emulator.admin.requests().byStatus['503']).toBe(1);
  });
});

describe('admin consent', () => {
  it('answers 403 ErrorAccessDenied while consent is revoked, even with a cached token', async () => {
    await emulator.admin.fault({ kind: 'revokeConsent' });
    const denied = await call(emulator, token, 'GET', `/users/${mail}/contacts`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
    await emulator.admin.fault({ kind: 'grantConsent' });
    expect((await call(emulator, token, 'GET', `/users/${mail}/contacts`)).status).toBe(200);
  });

  it('can fail at the token endpoint with AADSTS65001 instead', async () => {
    await emulator.admin.fault({ kind: 'revokeConsent', at: 'token' });
    const response = await fetch(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_codes: number[] };
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [65001] });
  });
});

describe('admin HTTP API', () => {
  it('creates mailboxes, lists contacts and request counts by route template', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}/_emulator${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await admin('POST', '/mailboxes', { id: 'e-1', mail: 'eve@contoso.test' })).status).toBe(201);
    await call(emulator, token, 'POST', '/users/e-1/contacts', { body: { givenName: 'E' } });
    const contacts = (await (await admin('GET', '/mailboxes/eve@contoso.test/contacts')).json()) as {
      value: unknown[];
    };
    expect(contacts.value).toHaveLength(1);
    const log = (await (await admin('GET', '/requests')).json()) as { byRoute: Record<string, number> };
    expect(log.byRoute['POST /users/{m}/contacts']).toBe(1);
    expect((await admin('POST', '/faults', { kind: 'nonsense' })).status).toBe(400);
    expect((await admin('POST', '/notifications/flush')).status).toBe(204);
    expect((await admin('DELETE', '/requests')).status).toBe(204);
  });
});
