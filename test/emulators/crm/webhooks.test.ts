import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { verifyCrmSignature } from '../../../shared/adapters/crm/signature.js';
import { type CrmEvent, crmEventSchema } from '../../../shared/contact/crm-contact.js';
import { rawClient } from './client.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const SECRET = 'test-webhook-secret';
let emulator: RunningCrmEmulator;
let receiver: WebhookReceiver;
let call: ReturnType<typeof rawClient>;

beforeAll(async () => {
  emulator = await startCrmEmulator({ retryDelaysMs: [20, 20, 20], reorderWindowMs: 100 });
  receiver = await startWebhookReceiver();
  call = rawClient(emulator);
  const registered = await call('POST', '/_emulator/webhooks', {
    token: null,
    body: { url: receiver.url, secret: SECRET },
  });
  expect(registered.status).toBe(204);
});
afterAll(async () => {
  await emulator.stop();
  await receiver.stop();
});
beforeEach(() => {
  emulator.admin.reset();
  receiver.received.length = 0;
  receiver.failWith([]);
});

const events = (): CrmEvent[] =>
  receiver.received.map((delivery) => crmEventSchema.parse(JSON.parse(delivery.rawBody)));

describe('webhook events', () => {
  it('emits a signed event per change, with the version after the change', async () => {
    const created = emulator.admin.createAsUser({ firstName: 'A' });
    await call('PATCH', `/crm/v1/contacts/${created.id}`, {
      body: { lastName: 'B' },
      headers: { 'if-match': '"1"' },
    });
    await call('DELETE', `/crm/v1/contacts/${created.id}`);
    await emulator.admin.idle();

    expect(events().map(({ type, contactId, version }) => ({ type, contactId, version }))).toEqual([
      { type: 'contact.created', contactId: created.id, version: 1 },
      { type: 'contact.updated', contactId: created.id, version: 2 },
      { type: 'contact.deleted', contactId: created.id, version: 3 },
    ]);
    expect(new Set(events().map((event) => event.eventId)).size).toBe(3);
    for (const delivery of receiver.received) {
      const check = verifyCrmSignature({
        secret: SECRET,
        timestamp: delivery.headers['x-crm-timestamp'],
        signature: delivery.headers['x-crm-signature'],
        rawBody: delivery.rawBody,
        now: new Date(),
      });
      expect(check).toEqual({ ok: true });
      expect(delivery.headers['x-crm-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(delivery.headers['content-type']).toBe('application/json');
    }
    const wrongSecret = receiver.received[0];
    expect(
      verifyCrmSignature({
        secret: 'other',
        timestamp: wrongSecret?.headers['x-crm-timestamp'],
        signature: wrongSecret?.headers['x-crm-signature'],
        rawBody: wrongSecret?.rawBody ?? '',
        now: new Date(),
      }),
    ).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('seeding emits no events; API writes and user edits do', async () => {
    const [seeded] = emulator.admin.seed([{ firstName: 'Quiet' }]);
    await emulator.admin.idle();
    expect(receiver.received).toHaveLength(0);
    const edited = await call('POST', `/_emulator/contacts/${seeded?.id}/edit`, {
      token: null,
      body: { title: 'Dr.' },
    });
    expect(edited.json).toMatchObject({ firstName: 'Quiet', title: 'Dr.', version: 2 });
    await emulator.admin.idle();
    expect(events().map((event) => event.type)).toEqual(['contact.updated']);
  });

  it('retries a delivery while the receiver fails, with the same event, until it succeeds', async () => {
    receiver.failWith([500, 503]);
    const created = emulator.admin.createAsUser({ firstName: 'Retry' });
    await emulator.admin.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(events().map((event) => event.eventId)).size).toBe(1);
    expect(events()[0]?.contactId).toBe(created.id);
    expect(emulator.admin.deliveries().map((record) => [record.attempt, record.outcome])).toEqual([
      [1, 'HTTP 500'],
      [2, 'HTTP 503'],
      [3, 'ok HTTP 200'],
    ]);
  });

  it('gives up after the last retry delay', async () => {
    receiver.failWith([500, 500, 500, 500, 500]);
    emulator.admin.createAsUser({ firstName: 'Doomed' });
    await emulator.admin.idle();
    expect(receiver.received).toHaveLength(4); // first attempt + 3 retries
  });

  it('duplicateEvents delivers the same event twice', async () => {
    emulator.admin.injectFault({ kind: 'duplicateEvents', count: 1 });
    emulator.admin.createAsUser({ firstName: 'Twice' });
    emulator.admin.createAsUser({ firstName: 'Once' });
    await emulator.admin.idle();
    const ids = events().map((event) => event.eventId);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('reorderEvents delivers the next events in reverse order', async () => {
    await call('POST', '/_emulator/faults', { token: null, body: { kind: 'reorderEvents', count: 3 } });
    const contact = emulator.admin.createAsUser({ firstName: 'v1' });
    emulator.admin.editAsUser(contact.id, { firstName: 'v2' });
    emulator.admin.editAsUser(contact.id, { firstName: 'v3' });
    await emulator.admin.idle();
    expect(events().map((event) => event.version)).toEqual([3, 2, 1]);
  });

  it('reorderEvents releases a short batch after the reorder window', async () => {
    emulator.admin.injectFault({ kind: 'reorderEvents', count: 5 });
    const contact = emulator.admin.createAsUser({ firstName: 'v1' });
    emulator.admin.editAsUser(contact.id, { firstName: 'v2' });
    await emulator.admin.idle();
    expect(events().map((event) => event.version)).toEqual([2, 1]);
  });

  it('dropEvents loses the next events', async () => {
    emulator.admin.injectFault({ kind: 'dropEvents', count: 2 });
    const contact = emulator.admin.createAsUser({ firstName: 'v1' });
    emulator.admin.editAsUser(contact.id, { firstName: 'v2' });
    emulator.admin.editAsUser(contact.id, { firstName: 'v3' });
    await emulator.admin.idle();
    expect(events().map((event) => event.version)).toEqual([3]);
  });

  it('reset forgets pending deliveries but keeps the webhook', async () => {
    receiver.failWith([500, 500, 500, 500]);
    emulator.admin.createAsUser({ firstName: 'Forgotten' });
    emulator.admin.reset();
    await emulator.admin.idle();
    receiver.received.length = 0;
    receiver.failWith([]);
    emulator.admin.createAsUser({ firstName: 'Delivered' });
    await emulator.admin.idle();
    expect(events().map((event) => event.type)).toEqual(['contact.created']);
  });
});
