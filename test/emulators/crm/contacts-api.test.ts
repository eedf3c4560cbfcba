import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { type CrmContact, crmContactSchema } from '../../../shared/contact/crm-contact.js';
import { type RawResponse, rawClient } from './client.js';

let now = Date.parse('2025-03-01T10:00:00.000Z');
let emulator: RunningCrmEmulator;
let call: ReturnType<typeof rawClient>;

beforeAll(async () => {
  emulator = await startCrmEmulator({ clock: () => new Date(now) });
  call = rawClient(emulator);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.admin.reset());

const contact = (response: RawResponse): CrmContact => crmContactSchema.parse(response.json);

describe('auth', () => {
  it('rejects a missing, malformed or wrong bearer token with a JSON 401', async () => {
    for (const token of [null, 'wrong', `${emulator.token}x`, '']) {
      const response = await call('GET', '/crm/v1/contacts', { token });
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const basic = await call('GET', '/crm/v1/contacts', {
      token: null,
      headers: { authorization: `Basic ${emulator.token}` },
    });
    expect(basic.status).toBe(401);
    expect((await call('GET', '/crm/v1/contacts')).status).toBe(200);
  });

  it('serves the admin API without a token', async () => {
    expect((await call('GET', '/_emulator/contacts', { token: null })).status).toBe(200);
  });
});

describe('contacts', () => {
  it('creates with 201, version 1 and an ETag, and reads it back', async () => {
    const created = await call('POST', '/crm/v1/contacts', { body: { firstName: 'Anna', lastName: 'Alt' } });
    expect(created.status).toBe(201);
    const body = contact(created);
    expect(body).toMatchObject({ firstName: 'Anna', lastName: 'Alt', version: 1, emails: [], notes: null });
    expect(created.headers.get('etag')).toBe('"1"');

    const read = await call('GET', `/crm/v1/contacts/${body.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(contact(read)).toEqual(body);
  });

  it('PATCH merges top-level fields, bumps version and updatedAt, and 412s on a stale If-Match', async () => {
    const created = contact(
      await call('POST', '/crm/v1/contacts', { body: { firstName: 'Anna', notes: 'keep me' } }),
    );
    now += 1000;
    const patched = await call('PATCH', `/crm/v1/contacts/${created.id}`, {
      body: { lastName: 'Alt' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(contact(patched)).toMatchObject({
      firstName: 'Anna',
      lastName: 'Alt',
      notes: 'keep me',
      version: 2,
    });
    expect(contact(patched).updatedAt).toBe(new Date(now).toISOString());
    expect(contact(patched).createdAt).toBe(created.createdAt);

    const stale = await call('PATCH', `/crm/v1/contacts/${created.id}`, {
      body: { lastName: 'Lost' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ error: { code: 'precondition_failed' } });
    expect(stale.headers.get('etag')).toBe('"2"');

    const unconditional = await call('PATCH', `/crm/v1/contacts/${created.id}`, { body: { title: 'Dr.' } });
    expect(contact(unconditional)).toMatchObject({ title: 'Dr.', lastName: 'Alt', version: 3 });
  });

  it('DELETE honours If-Match, answers 204, then 404 JSON for the gone id', async () => {
    const created = contact(await call('POST', '/crm/v1/contacts', { body: { firstName: 'B' } }));
    const stale = await call('DELETE', `/crm/v1/contacts/${created.id}`, { headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const deleted = await call('DELETE', `/crm/v1/contacts/${created.id}`, {
      headers: { 'if-match': '"1"' },
    });
    expect(deleted.status).toBe(204);
    for (const method of ['GET', 'DELETE']) {
      const gone = await call(method, `/crm/v1/contacts/${created.id}`);
      expect(gone.status).toBe(404);
      expect(gone.json).toMatchObject({ error: { code: 'not_found' } });
    }
    const patchGone = await call('PATCH', `/crm/v1/contacts/${created.id}`, { body: { firstName: 'x' } });
    expect(patchGone.status).toBe(404);
  });

  it('a repeated Idempotency-Key returns the first contact instead of creating another', async () => {
    const headers = { 'idempotency-key': 'link-123' };
    const first = await call('POST', '/crm/v1/contacts', { body: { firstName: 'Once' }, headers });
    const again = await call('POST', '/crm/v1/contacts', { body: { firstName: 'Once' }, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(contact(again).id).toBe(contact(first).id);
    expect(emulator.admin.contacts()).toHaveLength(1);

    const other = await call('POST', '/crm/v1/contacts', {
      body: { firstName: 'Once' },
      headers: { 'idempotency-key': 'link-456' },
    });
    expect(contact(other).id).not.toBe(contact(first).id);
  });

  it('finds contacts by any e-mail address, case-insensitively', async () => {
    const [match] = emulator.admin.seed([
      {
        firstName: 'A',
        emails: [
          { address: 'other@x.de', type: null },
          { address: 'Anna@Example.DE', type: null },
        ],
      },
      { firstName: 'B', emails: [{ address: 'bob@example.de', type: 'business' }] },
    ]);
    const found = await call('GET', `/crm/v1/contacts?email=${encodeURIComponent('anna@example.de')}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual({ items: [match] });
    const none = await call('GET', '/crm/v1/contacts?email=nobody%40x.de');
    expect(none.json).toEqual({ items: [] });
  });

  it('finds a contact by the addresses it has now: not by one edited away, not once deleted', async () => {
    const [anna] = emulator.admin.seed([{ firstName: 'A', emails: [{ address: 'old@x.de', type: null }] }]);
    const byEmail = async (address: string) =>
      (
        (await call('GET', `/crm/v1/contacts?email=${encodeURIComponent(address)}`)).json as {
          items: CrmContact[];
        }
      ).items.map((c) => c.id);
    const edited = await call('PATCH', `/crm/v1/contacts/${anna!.id}`, {
      body: { emails: [{ address: 'new@x.de', type: null }] },
    });
    expect(edited.status).toBe(200);
    expect(await byEmail('old@x.de')).toEqual([]);
    expect(await byEmail('NEW@x.de')).toEqual([anna!.id]);
    expect((await call('DELETE', `/crm/v1/contacts/${anna!.id}`)).status).toBe(204);
    expect(await byEmail('new@x.de')).toEqual([]);
  });
});

describe('paging', () => {
  it('walks every contact once in (updatedAt, id) order and filters by updatedSince', async () => {
    const seeded: CrmContact[] = [];
    for (let index = 0; index < 7; index += 1) {
      now += 1000;
      seeded.push(...emulator.admin.seed([{ lastName: `L${index}` }]));
    }
    const walk = async (query: string) => {
      const ids: string[] = [];
      let token: string | undefined;
      do {
        const tokenPart = token === undefined ? '' : `&pageToken=${encodeURIComponent(token)}`;
        const page = (await call('GET', `/crm/v1/contacts?limit=3${query}${tokenPart}`)).json as {
          items: CrmContact[];
          nextPageToken?: string;
        };
        expect(page.items.length).toBeLessThanOrEqual(3);
        ids.push(...page.items.map((item) => item.id));
        token = page.nextPageToken;
      } while (token !== undefined);
      return ids;
    };
    expect(await walk('')).toEqual(seeded.map((item) => item.id));
    const since = seeded[4]?.updatedAt ?? '';
    expect(await walk(`&updatedSince=${encodeURIComponent(since)}`)).toEqual(
      seeded.slice(4).map((item) => item.id),
    );
  });

  it('keeps a page token valid while contacts change: an edited contact comes again, none is skipped', async () => {
    const seeded = Array.from({ length: 4 }, (_, index) => {
      now += 1000;
      return emulator.admin.seed([{ lastName: `L${index}` }])[0] as CrmContact;
    });
    const first = (await call('GET', '/crm/v1/contacts?limit=2')).json as {
      items: CrmContact[];
      nextPageToken: string;
    };
    now += 1000;
    emulator.admin.editAsUser(seeded[0]?.id ?? '', { firstName: 'edited' });
    emulator.admin.deleteAsUser(seeded[2]?.id ?? '');
    const rest = (await call('GET', `/crm/v1/contacts?limit=10&pageToken=${first.nextPageToken}`)).json as {
      items: CrmContact[];
      nextPageToken?: string;
    };
    expect(rest.items.map((item) => item.id)).toEqual([seeded[3]?.id, seeded[0]?.id]);
    expect(rest.nextPageToken).toBeUndefined();
  });

  it('rejects a forged page token and bad limits with 400', async () => {
    for (const query of [
      'pageToken=garbage',
      'limit=0',
      'limit=501',
      'limit=abc',
      'updatedSince=yesterday',
      'x=1',
    ]) {
      const response = await call('GET', `/crm/v1/contacts?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});

describe('request log and status faults', () => {
  it('counts requests by method and route template, apart from admin requests', async () => {
    emulator.admin.clearRequests();
    const created = contact(await call('POST', '/crm/v1/contacts', { body: {} }));
    await call('GET', `/crm/v1/contacts/${created.id}`);
    await call('GET', '/crm/v1/contacts/missing');
    await call('GET', '/_emulator/contacts');
    const log = emulator.admin.requests();
    expect(log.api.counts).toEqual({ 'POST /crm/v1/contacts': 1, 'GET /crm/v1/contacts/{id}': 2 });
    expect(log.api.total).toBe(3);
    expect(log.admin.counts).toEqual({ 'GET /_emulator/contacts': 1 });
    expect(log.entries.map((entry) => entry.status)).toEqual([201, 200, 404, 200]);
  });

  it('answers a burst of injected statuses, then recovers', async () => {
    const injected = await call('POST', '/_emulator/faults', {
      token: null,
      body: { kind: 'status', status: 503, count: 2, retryAfterSeconds: 1 },
    });
    expect(injected.status).toBe(204);
    const first = await call('GET', '/crm/v1/contacts');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.json).toMatchObject({ error: { code: 'injected_fault' } });
    expect((await call('GET', '/crm/v1/contacts')).status).toBe(503);
    expect((await call('GET', '/crm/v1/contacts')).status).toBe(200);
  });
});
