import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import type { GraphExchangeContacts } from '../../../shared/adapters/graph/exchange-contacts.js';
import { startSubscriber } from '../../emulators/graph/support.js';
import { clientFor, fields, startGraph } from './support.js';

/**
 * "Prefer: IdType="ImmutableId" … only applies to the request it is included with. If you want
 * to always use immutable IDs, you must include this header with every API request", and an
 * immutable id "will NOT change if the item is moved to a different folder in the mailbox"
 * (learn.microsoft.com/graph/outlook-immutable-id). So after an Outlook user moves a contact,
 * every adapter call must still find it under the id we stored.
 */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeContacts;
const MAILBOX = 'anna@contoso.example';

beforeAll(async () => {
  ({ emulator, exchange } = await startGraph());
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: MAILBOX });
});

describe('immutable ids: a contact the user moved keeps its id for every adapter call', () => {
  it('get, update, $batch update, findByLinkId and both folders’ delta use the id from before the move', async () => {
    const home = await exchange.defaultFolderId(MAILBOX);
    const other = await createFolder('Kunden');
    const created = await exchange.create(
      MAILBOX,
      home,
      fields({ emailAddresses: ['anna@example.de'] }),
      'link-m',
    );
    const [batched] = await exchange.batchCreate(MAILBOX, [
      { folderId: home, fields: fields(), linkId: 'link-b' },
    ]);
    if (!batched?.ok) throw new Error('batch create failed');
    let homeLink: string | undefined;
    for await (const page of exchange.delta(MAILBOX, home, null)) homeLink = page.deltaLink ?? homeLink;

    await moveAsOutlookUser(created.id, other);
    await moveAsOutlookUser(batched.contact.id, other);

    expect(await exchange.get(MAILBOX, created.id)).toMatchObject({ id: created.id, parentFolderId: other });
    const updated = await exchange.update(MAILBOX, created.id, { jobTitle: 'Maklerin' });
    expect(updated).toMatchObject({ id: created.id, jobTitle: 'Maklerin' });
    const [batchUpdated] = await exchange.batchUpdate(MAILBOX, [
      { id: batched.contact.id, fields: { jobTitle: 'Assistenz' } },
    ]);
    expect(batchUpdated).toMatchObject({ ok: true, contact: { id: batched.contact.id } });
    expect((await exchange.findByLinkId(MAILBOX, 'link-m'))?.id).toBe(created.id);

    const inOther: string[] = [];
    for await (const page of exchange.delta(MAILBOX, other, null))
      inOther.push(...page.upserts.map((c) => c.id));
    expect(inOther.sort()).toEqual([created.id, batched.contact.id].sort());
    const leftHome: string[] = [];
    for await (const page of exchange.delta(MAILBOX, home, homeLink ?? null))
      leftHome.push(...page.removedIds);
    expect(leftHome.sort()).toEqual([created.id, batched.contact.id].sort());
  });
});

describe('immutable ids in change notifications', () => {
  // "request that Microsoft Graph send immutable IDs in change notifications by including the
  // Prefer: IdType="ImmutableId" header when creating a subscription" (outlook-immutable-id).
  it('a subscription the adapter made notifies the ids the adapter knows, before and after a move', async () => {
    const hook = await startSubscriber();
    try {
      await exchange.createSubscription({
        mailbox: MAILBOX,
        notificationUrl: `${hook.base}/notify`,
        lifecycleNotificationUrl: `${hook.base}/lifecycle`,
        clientState: 'state-im',
        expirationDateTime: new Date(Date.now() + 24 * 3600_000).toISOString(),
      });
      const home = await exchange.defaultFolderId(MAILBOX);
      const other = await createFolder('Kunden');
      const created = await exchange.create(MAILBOX, home, fields(), 'link-n');
      await moveAsOutlookUser(created.id, other);
      await emulator.admin.idle();
      const ids = hook
        .notifications()
        .map((n) => (n['resourceData'] as { id?: string } | undefined)?.id)
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      expect(new Set(ids)).toEqual(new Set([created.id]));
    } finally {
      await hook.stop();
    }
  });
});

async function createFolder(displayName: string): Promise<string> {
  const created = (await clientFor(emulator)
    .api(`/users/${MAILBOX}/contactFolders`)
    .post({ displayName })) as {
    id: string;
  };
  return created.id;
}

/** What an Outlook user's drag into another folder does (the emulator's admin route, issue 13). */
async function moveAsOutlookUser(id: string, destinationId: string): Promise<void> {
  const response = await fetch(
    `${emulator.url}/_emulator/users/${encodeURIComponent(MAILBOX)}/contacts/${encodeURIComponent(id)}/move`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ destinationId }),
    },
  );
  expect(response.status).toBeLessThan(300);
}
