import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';
import { accessToken, call, startSubscriber } from './support.js';

/**
 * Change notifications as Graph delivers them.
 * - "Receive change notifications through webhooks": several notifications, possibly of
 *   different subscriptions, arrive in one POST; a non-2xx answer is retried (for up to 4 h).
 * - change-notifications-delivery-latency include: contacts arrive in under 1 minute on
 *   average, 3 at most (emulated: `notificationLatency`).
 * - "Reduce missing subscriptions and change notifications" (lifecycle events):
 *   reauthorizationRequired before expiry, then delivery pauses and changes in the pause are
 *   lost until `POST /subscriptions/{id}/reauthorize` (204, "subscription: reauthorize") or a
 *   renewal; `missed` when notifications were not delivered.
 * - "Obtain immutable identifiers for Outlook resources": a subscription created with
 *   `Prefer: IdType="ImmutableId"` notifies immutable ids.
 */
let emulator: RunningGraphEmulator;
let token: string;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const mail = 'hugo@contoso.test';
let mailboxId: string;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function subscribe(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await call(emulator, token, 'POST', '/subscriptions', {
    headers,
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: `${subscriber.base}/notify`,
      lifecycleNotificationUrl: `${subscriber.base}/lifecycle`,
      resource: `/users/${mail}/contacts`,
      expirationDateTime: inMinutes(4000),
      clientState: 'state',
      ...overrides,
    },
  });
  expect(response.status).toBe(201);
  return response.body['id'] as string;
}

async function create(givenName: string): Promise<string> {
  const response = await call(emulator, token, 'POST', `/users/${mail}/contacts`, { body: { givenName } });
  expect(response.status).toBe(201);
  return response.body['id'] as string;
}

/** Moves the emulator's clock; tokens issued before have then expired, so take a fresh one. */
async function advance(minutes: number) {
  await emulator.admin.fault({ kind: 'advanceClock', ms: minutes * 60_000 });
  token = await accessToken(emulator);
}

async function outlook(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_emulator/users/${mail}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (response.status === 204 ? {} : await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  emulator = await startGraphEmulator({
    tlsDir: inject('tlsDir'),
    notificationDelayMs: 20,
    notificationRetry: { attempts: 3, baseDelayMs: 20 },
  });
  token = await accessToken(emulator);
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  token = await accessToken(emulator);
  await subscriber?.stop();
  subscriber = await startSubscriber();
  emulator.admin.reset();
  mailboxId = emulator.admin.createMailbox({ mail }).id;
});
afterAll(() => subscriber.stop());

describe('delivery', () => {
  it('puts several subscriptions’ notifications in one POST', async () => {
    const a = await subscribe();
    const folder = emulator.admin.mailboxes()[0]?.defaultFolderId;
    const b = await subscribe({ resource: `/users/${mail}/contactFolders/${folder}/contacts` });
    await create('Both');
    await emulator.admin.idle();
    const posts = subscriber.received.filter((r) => r.path === '/notify');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.value.map((n) => n['subscriptionId']).sort()).toEqual([a, b].sort());
  });

  it('waits the configured delivery latency', async () => {
    await subscribe();
    await emulator.admin.fault({ kind: 'notificationLatency', minMs: 300, maxMs: 400 });
    const started = Date.now();
    await create('Late');
    await new Promise((r) => setTimeout(r, 150));
    expect(subscriber.notifications()).toHaveLength(0);
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('redelivers after a non-2xx answer, and posts missed once it gives up', async () => {
    await subscribe();
    subscriber.failing(true);
    await create('Lost');
    await emulator.admin.idle();
    subscriber.failing(false);
    await create('Found');
    await emulator.admin.idle();
    expect(subscriber.notifications().map((n) => n['changeType'])).toEqual(['created']);
    expect(subscriber.lifecycle().map((n) => n['lifecycleEvent'])).toEqual(['missed']);
  });

  it('posts missed for dropped deliveries when asked to', async () => {
    const id = await subscribe();
    await emulator.admin.fault({ kind: 'dropNotifications', count: 1, missed: true });
    await create('Dropped');
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(0);
    expect(subscriber.lifecycle()).toMatchObject([{ subscriptionId: id, lifecycleEvent: 'missed' }]);
  });
});

describe('moves and soft deletes', () => {
  it('notifies a move as deleted in the old folder and created in the new one; Deleted Items is not watched', async () => {
    const other = (
      await call(emulator, token, 'POST', `/users/${mail}/contactFolders`, {
        body: { displayName: 'Kunden' },
      })
    ).body['id'] as string;
    const home = emulator.admin.mailboxes()[0]?.defaultFolderId;
    const id = await create('M');
    await emulator.admin.idle();
    await subscribe({ resource: `/users/${mail}/contactFolders/${home}/contacts` });
    await subscribe({ resource: `/users/${mail}/contactFolders/${other}/contacts` });
    const moved = await outlook('POST', `/contacts/${id}/move`, { destinationId: other });
    await emulator.admin.idle();
    expect(
      subscriber.notifications().map((n) => [n['changeType'], (n['resourceData'] as { id: string }).id]),
    ).toEqual([
      ['deleted', id],
      ['created', moved['id']],
    ]);
    subscriber.received.length = 0;
    await outlook('DELETE', `/contacts/${moved['id']}`);
    await emulator.admin.idle();
    expect(subscriber.notifications().map((n) => n['changeType'])).toEqual(['deleted']);
  });

  it('leaves some soft deletes without a deleted notification (silentDeletes)', async () => {
    await subscribe();
    const id = await create('S');
    await emulator.admin.fault({ kind: 'silentDeletes', count: 1 });
    await call(emulator, token, 'DELETE', `/users/${mail}/contacts/${id}`);
    await emulator.admin.idle();
    expect(subscriber.notifications().map((n) => n['changeType'])).toEqual(['created']);
  });

  it('notifies immutable ids to a subscription created with the Prefer header', async () => {
    const created = await call(emulator, token, 'POST', '/subscriptions', {
      headers: { prefer: 'IdType="ImmutableId"' },
      body: {
        changeType: 'created',
        notificationUrl: `${subscriber.base}/notify`,
        resource: `/users/${mail}/contacts`,
        expirationDateTime: inMinutes(4000),
      },
    });
    expect(created.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    expect(emulator.admin.subscriptions()[0]?.immutableIds).toBe(true);
    const id = await create('I');
    const immutable = (
      await call(emulator, token, 'GET', `/users/${mail}/contacts/${id}`, {
        headers: { prefer: 'IdType="ImmutableId"' },
      })
    ).body['id'];
    await emulator.admin.idle();
    const [notification] = subscriber.notifications();
    expect(notification).toMatchObject({
      resource: `Users/${mailboxId}/Contacts/${immutable}`,
      resourceData: { id: immutable },
    });
  });
});

describe('lifecycle', () => {
  it('sends reauthorizationRequired before expiry, pauses delivery after a while, and reauthorize resumes it', async () => {
    const id = await subscribe({ expirationDateTime: inMinutes(180) });
    await advance(125);
    await emulator.admin.idle();
    expect(subscriber.lifecycle()).toMatchObject([
      { subscriptionId: id, lifecycleEvent: 'reauthorizationRequired' },
    ]);
    await create('StillFlowing');
    await advance(11);
    await create('LostInPause');
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(1);
    expect((await call(emulator, token, 'POST', `/subscriptions/${id}/reauthorize`)).status).toBe(204);
    await create('Resumed');
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(2);
  });

  it('pauses at once on a reauthorizationRequired fault; a renewal resumes delivery', async () => {
    const id = await subscribe();
    await emulator.admin.fault({ kind: 'lifecycle', id, event: 'reauthorizationRequired' });
    await create('Paused');
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(0);
    expect(emulator.admin.subscriptions()[0]?.pauseAt).not.toBeNull();
    const renewed = await call(emulator, token, 'PATCH', `/subscriptions/${id}`, {
      body: { expirationDateTime: inMinutes(5000) },
    });
    expect(renewed.status).toBe(200);
    await create('Flowing');
    await emulator.admin.idle();
    expect(subscriber.notifications()).toHaveLength(1);
  });

  it('deletes an expired subscription silently', async () => {
    const id = await subscribe({ expirationDateTime: inMinutes(50) });
    await advance(51);
    await emulator.admin.idle();
    subscriber.received.length = 0;
    await create('After');
    await emulator.admin.idle();
    expect(subscriber.received).toEqual([]);
    expect((await call(emulator, token, 'GET', `/subscriptions/${id}`)).status).toBe(404);
  });
});
