import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { RestCrmContacts } from '../../../shared/adapters/crm/rest-crm-contacts.js';
import { crmContactInputSchema } from '../../../shared/contact/crm-contact.js';
import { SyncError } from '../../../shared/errors.js';

let emulator: RunningCrmEmulator;
let crm: RestCrmContacts;
const input = (fields: Record<string, unknown>) => crmContactInputSchema.parse(fields);

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

beforeAll(async () => {
  emulator = await startCrmEmulator();
  crm = new RestCrmContacts({
    baseUrl: `${emulator.url}/`,
    token: emulator.token,
    retryBaseMs: 5,
    retryMaxMs: 50,
  });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.admin.reset());

describe('RestCrmContacts against the emulator', () => {
  it('creates, reads, updates, lists and deletes', async () => {
    const created = await crm.create(
      input({ firstName: 'Anna', emails: [{ address: 'a@b.de', type: null }] }),
      'k1',
    );
    expect(created).toMatchObject({ firstName: 'Anna', version: 1 });
    expect(await crm.get(created.id)).toEqual(created);

    const updated = await crm.update(created.id, { lastName: 'Alt' }, 1);
    expect(updated).toMatchObject({ firstName: 'Anna', lastName: 'Alt', version: 2 });

    const page = await crm.list();
    expect(page).toEqual({ items: [updated] });
    expect(await crm.list({ updatedSince: '2999-01-01T00:00:00Z' })).toEqual({ items: [] });

    await crm.delete(created.id, 2);
    expect(await crm.get(created.id)).toBeNull();
    await expect(crm.delete(created.id)).resolves.toBeUndefined();
    await expect(crm.delete('never-existed', 3)).resolves.toBeUndefined();
  });

  it('follows page tokens', async () => {
    emulator.admin.seed(Array.from({ length: 120 }, (_, index) => ({ lastName: `L${index}` })));
    const first = await crm.list();
    expect(first.items).toHaveLength(100);
    expect(first.nextPageToken).toBeTypeOf('string');
    const second = await crm.list({ pageToken: first.nextPageToken ?? '' });
    expect(second.items).toHaveLength(20);
    expect(second.nextPageToken).toBeUndefined();
  });

  it('a retried create with the same key returns the first contact', async () => {
    const first = await crm.create(input({ firstName: 'Once' }), 'link-1');
    const again = await crm.create(input({ firstName: 'Once' }), 'link-1');
    expect(again.id).toBe(first.id);
    expect(emulator.admin.contacts()).toHaveLength(1);
  });

  it('turns a stale version (412) into a typed conflict, on update and delete', async () => {
    const created = await crm.create(input({ firstName: 'A' }), 'k2');
    emulator.admin.editAsUser(created.id, { firstName: 'B' });
    const onUpdate = await failure(crm.update(created.id, { firstName: 'C' }, 1));
    expect(onUpdate).toMatchObject({ kind: 'conflict', code: 'precondition_failed', status: 412 });
    expect(onUpdate.message).toContain('PATCH /crm/v1/contacts/{id}');
    expect(onUpdate.message).toContain('412');
    const onDelete = await failure(crm.delete(created.id, 1));
    expect(onDelete.kind).toBe('conflict');
  });

  it('finds contacts by e-mail', async () => {
    const [anna] = emulator.admin.seed([{ emails: [{ address: 'Anna@Example.de', type: 'private' }] }, {}]);
    expect(await crm.findByEmail('anna@example.de')).toEqual([anna]);
    expect(await crm.findByEmail('nobody@example.de')).toEqual([]);
  });

  it('retries through a 503 burst (honouring Retry-After) and succeeds', async () => {
    emulator.admin.injectFault({ kind: 'status', status: 503, count: 3, retryAfterSeconds: 0 });
    emulator.admin.clearRequests();
    expect(await crm.list()).toEqual({ items: [] });
    expect(emulator.admin.requests().api.counts).toEqual({ 'GET /crm/v1/contacts': 4 });
  });

  it('gives up after its retries with a transient or throttled error', async () => {
    const few = new RestCrmContacts({
      baseUrl: emulator.url,
      token: emulator.token,
      retries: 1,
      retryBaseMs: 1,
    });
    emulator.admin.injectFault({ kind: 'status', status: 500, count: 2 });
    expect(await failure(few.get('x'))).toMatchObject({
      kind: 'transient',
      status: 500,
      code: 'injected_fault',
    });
    emulator.admin.injectFault({ kind: 'status', status: 429, count: 2, retryAfterSeconds: 0 });
    expect(await failure(few.get('x'))).toMatchObject({ kind: 'throttled', status: 429 });
  });

  it('never retries a 4xx', async () => {
    emulator.admin.clearRequests();
    const invalid = await failure(crm.create({ ...input({}), birthday: 'not a date' }, 'k3'));
    expect(invalid).toMatchObject({ kind: 'invalid', status: 400, code: 'invalid_body' });
    expect(emulator.admin.requests().api.total).toBe(1);
  });

  it('times out a slow answer, and retries it when retries are left', async () => {
    const impatient = new RestCrmContacts({
      baseUrl: emulator.url,
      token: emulator.token,
      timeoutMs: 100,
      retries: 0,
    });
    emulator.admin.injectFault({ kind: 'slow', ms: 400, count: 1 });
    const timedOut = await failure(impatient.list());
    expect(timedOut).toMatchObject({ kind: 'transient', code: 'timeout' });
    expect(timedOut.message).toBe('CRM GET /crm/v1/contacts timed out after 100 ms');

    const patient = new RestCrmContacts({
      baseUrl: emulator.url,
      token: emulator.token,
      timeoutMs: 100,
      retries: 1,
      retryBaseMs: 1,
    });
    emulator.admin.injectFault({ kind: 'slow', ms: 400, count: 1 });
    await expect(patient.list()).resolves.toEqual({ items: [] });
  });

  it('reports a network failure as transient', async () => {
    const nowhere = new RestCrmContacts({
      baseUrl: 'http://127.0.0.1:1',
      token: 'secret-token-xyz',
      retries: 1,
      retryBaseMs: 1,
    });
    const error = await failure(nowhere.get('a'));
    expect(error).toMatchObject({ kind: 'transient', code: 'network' });
    expect(inspect(error, { depth: 10 })).not.toContain('secret-token-xyz');
  });

  it('maps a wrong token to an auth error that does not contain either token', async () => {
    const wrongToken = `wrong-${emulator.token}`;
    const wrong = new RestCrmContacts({ baseUrl: emulator.url, token: wrongToken });
    const error = await failure(wrong.list());
    expect(error).toMatchObject({ kind: 'auth', status: 401, code: 'unauthorized' });
    for (const text of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
      expect(text).not.toContain(wrongToken);
      expect(text).not.toContain(emulator.token);
    }
  });

  it('rejects a response that does not match the contact schema', async () => {
    const lying = new RestCrmContacts({
      baseUrl: emulator.url,
      token: emulator.token,
      fetch: async () => new Response(JSON.stringify({ id: 'x', surprise: true }), { status: 200 }),
    });
    expect(await failure(lying.get('x'))).toMatchObject({ kind: 'permanent', code: 'crm_invalid_response' });
  });
});
