import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call } from './support.js';

/**
 * JSON batching and throttling as they come.
 * - "Combine multiple HTTP requests using JSON batching" (concepts/json-batching.md): ids "Not
 *   case-sensitive. Must be unique in the batch"; "When a body is included with the request,
 *   the headers object must contain a value for Content-Type"; responses "might appear in a
 *   different order"; a failed dependency gives 424.
 * - Messages: "Request Id A has to be unique in a batch." (microsoft-graph-docs#4449), "Write
 *   request id : 1 does not contain Content-Type header or body." (pnp/pnpcore), "Invalid
 *   dependency for request Id …" (msgraph-sdk-dotnet-core#891).
 * - "Microsoft Graph throttling guidance" / "Outlook service limits": 4 concurrent requests
 *   per app and mailbox; batches run up to 4 Outlook requests at once. Retry-After is not
 *   always present (issue 13 collects the field reports), 503/504 come without it.
 */
let emulator: RunningGraphEmulator;
let token: string;
const mail = 'finn@contoso.test';
const other = 'gina@contoso.test';

beforeAll(async () => {
  emulator = await startGraphEmulator({
    tlsDir: inject('tlsDir'),
    throttle: { requestsPerWindow: 10_000, windowMs: 600_000, concurrency: 4 },
    latencyMs: 120,
  });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail });
  emulator.admin.createMailbox({ mail: other });
});

const batch = (requests: unknown[]) => call(emulator, token, 'POST', '/$batch', { body: { requests } });
const get = (id: string, url = `/users/${mail}/contacts`) => ({ id, method: 'GET', url });

describe('$batch validation', () => {
  it('rejects ids that differ only in case', async () => {
    const response = await batch([get('a'), get('A')]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'BadRequest', message: 'Request Id A has to be unique in a batch.' },
    });
  });

  it('rejects a body without Content-Type, and a write without a body', async () => {
    const noType = await batch([
      { id: '1', method: 'POST', url: `/users/${mail}/contacts`, body: { givenName: 'X' } },
    ]);
    expect(noType.status).toBe(400);
    expect(noType.body).toMatchObject({
      error: { message: 'Write request id : 1 does not contain Content-Type header or body.' },
    });
    const noBody = await batch([
      {
        id: '2',
        method: 'PATCH',
        url: `/users/${mail}/contacts/x`,
        headers: { 'content-type': 'application/json' },
      },
    ]);
    expect(noBody.status).toBe(400);
    expect(emulator.admin.requests().byRoute['POST /users/{m}/contacts']).toBeUndefined();
  });

  it('rejects a dependsOn naming an unknown (or later) id', async () => {
    const response = await batch([{ ...get('1'), dependsOn: ['9'] }, get('9')]);
    expect(response.status).toBe(400);
    expect((response.body['error'] as { message: string }).message).toMatch(
      /^Invalid dependency for request Id 1/,
    );
  });
});

describe('$batch execution', () => {
  it('runs up to 4 independent steps at once, and dependent ones in order', async () => {
    const response = await batch(Array.from({ length: 8 }, (_, i) => get(String(i + 1))));
    expect(response.status).toBe(200);
    expect((response.body['responses'] as { status: number }[]).every((r) => r.status === 200)).toBe(true);
    expect(emulator.admin.requests().throttling.peakConcurrency).toBe(4);

    emulator.admin.clearRequests();
    const chain = await batch([
      get('1'),
      { ...get('2'), dependsOn: ['1'] },
      { ...get('3'), dependsOn: ['2'] },
    ]);
    expect((chain.body['responses'] as { id: string }[]).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(emulator.admin.requests().throttling.peakConcurrency).toBe(1);
  });

  it('throttles batch steps like direct calls when the mailbox is busy', async () => {
    const direct = Array.from({ length: 2 }, () => call(emulator, token, 'GET', `/users/${mail}/contacts`));
    const response = await batch(Array.from({ length: 4 }, (_, i) => get(String(i + 1))));
    await Promise.all(direct);
    const statuses = (response.body['responses'] as { status: number }[]).map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});

describe('throttling as it comes', () => {
  it('sends 503/504 bursts without Retry-After unless one is named', async () => {
    await emulator.admin.fault({ kind: 'latency', ms: 0 });
    await emulator.admin.fault({ kind: 'status', status: 503, count: 1 });
    const bare = await call(emulator, token, 'GET', `/users/${mail}/contacts`);
    expect(bare.status).toBe(503);
    expect(bare.headers.get('retry-after')).toBeNull();
    await emulator.admin.fault({ kind: 'status', status: 504, count: 1, retryAfter: 2 });
    expect((await call(emulator, token, 'GET', `/users/${mail}/contacts`)).headers.get('retry-after')).toBe(
      '2',
    );
  });

  it('can leave Retry-After out of 429s, or always say 1', async () => {
    const throttled = async () => {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => call(emulator, token, 'GET', `/users/${mail}/contacts`)),
      );
      const first = responses.find((r) => r.status === 429);
      expect(first).toBeDefined();
      return first?.headers.get('retry-after');
    };
    await emulator.admin.fault({ kind: 'throttle', retryAfter: 'missing' });
    expect(await throttled()).toBeNull();
    await emulator.admin.fault({ kind: 'throttle', retryAfter: 'one' });
    expect(await throttled()).toBe('1');
    await emulator.admin.fault({ kind: 'status', status: 429, count: 1 });
    expect((await call(emulator, token, 'GET', `/users/${mail}/contacts`)).headers.get('retry-after')).toBe(
      '1',
    );
  });

  it('counts the concurrency limit per app and mailbox, or per app across mailboxes', async () => {
    const spread = () =>
      Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          call(emulator, token, 'GET', `/users/${i % 2 ? mail : other}/contacts`),
        ),
      );
    expect((await spread()).filter((r) => r.status === 429)).toHaveLength(0);
    await emulator.admin.fault({ kind: 'throttle', scope: 'app' });
    expect((await spread()).filter((r) => r.status === 429)).toHaveLength(2);
    await emulator.admin.fault({ kind: 'throttle', scope: 'mailbox', concurrency: 2 });
    expect((await spread()).filter((r) => r.status === 429)).toHaveLength(2);
  });
});
