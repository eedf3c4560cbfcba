import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { createGraphClient } from '../../../shared/adapters/graph/graph-client.js';
import { DEFAULT_LINK_PROPERTY_ID } from '../../../shared/adapters/graph/link-marker.js';
import { clientFor, fields, startGraph } from './support.js';

/**
 * A create that failed with a 504 (or 503, or no answer) may have been stored: the gateway
 * gave up, the backend may not have. The SDK's RetryHandler would resend such a POST (it
 * retries 429/503/504 for every non-stream body, msgraph-sdk-javascript
 * src/middleware/RetryHandler.ts `isBuffered`), so the adapter runs without it and looks for
 * the contact by its ownership marker before it creates again. The emulator answers a burst
 * before it stores anything, so "the first attempt was stored" is set up by storing the
 * contact with the marker beforehand, as that attempt would have.
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';
const CREATE_ROUTE = 'POST /users/{m}/contactFolders/{f}/contacts';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph({}, { scheduler: undefined }));
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
});

/** The contact a create stored before its answer was lost. */
async function storedBefore(folderId: string, linkId: string): Promise<string> {
  const created = (await clientFor(emulator)
    .api(`/users/${MAILBOX}/contactFolders/${folderId}/contacts`)
    .header('Prefer', 'IdType="ImmutableId"')
    .post({
      givenName: 'Anna',
      surname: 'Schmidt',
      singleValueExtendedProperties: [{ id: DEFAULT_LINK_PROPERTY_ID, value: linkId }],
    })) as { id: string };
  return created.id;
}

function withMarker(linkId: string): number {
  return emulator.admin
    .contacts(MAILBOX)
    .filter((c) =>
      ((c['singleValueExtendedProperties'] ?? []) as { value: string }[]).some((p) => p.value === linkId),
    ).length;
}

function posts(): number {
  return emulator.admin.requests().entries.filter((e) => e.route === CREATE_ROUTE).length;
}

describe('a create after a failure that may have committed', () => {
  it.each([503, 504] as const)(
    'finds what the %i’d attempt stored instead of creating it again',
    async (status) => {
      const folderId = await exchange.defaultFolderId(MAILBOX);
      const earlier = await storedBefore(folderId, 'link-1');
      emulator.admin.clearRequests();
      await emulator.admin.fault({ kind: 'status', status, count: 1, route: CREATE_ROUTE });
      const created = await exchange.create(MAILBOX, folderId, fields(), 'link-1');
      expect(created.id).toBe(earlier);
      expect(withMarker('link-1')).toBe(1);
      expect(posts()).toBe(1);
    },
  );

  it('creates again when the failed attempt stored nothing, after looking', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    emulator.admin.clearRequests();
    await emulator.admin.fault({ kind: 'status', status: 504, count: 1, route: CREATE_ROUTE });
    await exchange.create(MAILBOX, folderId, fields(), 'link-2');
    expect(withMarker('link-2')).toBe(1);
    const routes = emulator.admin.requests().entries.map((e) => e.route);
    const [first, second] = routes.flatMap((r, i) => (r === CREATE_ROUTE ? [i] : []));
    expect(second).toBeDefined();
    expect(
      routes.slice((first ?? 0) + 1, second).some((r) => r.startsWith('GET') && r.includes('contacts')),
    ).toBe(true);
  });

  it('a 429 is resent as it is: Graph did not run it', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    emulator.admin.clearRequests();
    await emulator.admin.fault({ kind: 'status', status: 429, count: 1, route: CREATE_ROUTE, retryAfter: 0 });
    await exchange.create(MAILBOX, folderId, fields(), 'link-3');
    expect(withMarker('link-3')).toBe(1);
    expect(posts()).toBe(2);
  });

  it('a create that timed out but was stored meanwhile is found, not made twice', async () => {
    const client = createGraphClient({
      baseUrl: emulator.url,
      authorityHost: emulator.authorityHost,
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      requestTimeoutMs: 150,
    });
    const impatient = new GraphExchangeContacts({ client });
    const folderId = await impatient.defaultFolderId(MAILBOX);
    emulator.admin.clearRequests();
    // The emulator holds the POST 400 ms, then stores it: after the client gave up at 150 ms.
    await emulator.admin.fault({ kind: 'latency', ms: 400 });
    const creating = impatient.create(MAILBOX, folderId, fields(), 'link-t');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await emulator.admin.fault({ kind: 'latency', ms: 0 });
    const created = await creating;
    // It gave up waiting and looked the contact up by its marker, instead of sending it again.
    expect(emulator.admin.requests().byRoute['GET /users/{m}/contacts']).toBeGreaterThanOrEqual(1);
    expect(withMarker('link-t')).toBe(1);
    expect(emulator.admin.contacts(MAILBOX).filter((c) => c['givenName'] === 'Anna')).toHaveLength(1);
    expect((await impatient.findByLinkId(MAILBOX, 'link-t'))?.id).toBe(created.id);
    expect(posts()).toBe(1);
  });

  it('$batch: steps that may have committed are looked up, the rest resent, none sent twice', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const earlier = await storedBefore(folderId, 'link-a');
    await emulator.admin.fault({ kind: 'status', status: 504, count: 2, route: CREATE_ROUTE });
    const results = await exchange.batchCreate(MAILBOX, [
      { folderId, fields: fields(), linkId: 'link-a' },
      { folderId, fields: fields({ givenName: 'Bert' }), linkId: 'link-b' },
    ]);
    expect(results).toMatchObject([
      { ok: true, contact: { id: earlier } },
      { ok: true, contact: { givenName: 'Bert' } },
    ]);
    expect(withMarker('link-a')).toBe(1);
    expect(withMarker('link-b')).toBe(1);
  });

  it('$batch: a whole $batch lost with a 504 is not resent blindly', async () => {
    const folderId = await exchange.defaultFolderId(MAILBOX);
    const earlier = await storedBefore(folderId, 'link-c');
    await emulator.admin.fault({ kind: 'status', status: 504, count: 1, route: 'POST /$batch' });
    const results = await exchange.batchCreate(MAILBOX, [
      { folderId, fields: fields(), linkId: 'link-c' },
      { folderId, fields: fields({ givenName: 'Bert' }), linkId: 'link-d' },
    ]);
    expect(results).toMatchObject([{ ok: true, contact: { id: earlier } }, { ok: true }]);
    expect(withMarker('link-c')).toBe(1);
    expect(withMarker('link-d')).toBe(1);
  });
});
