import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TableMail } from '../../../shared/adapters/tables/table-mail.js';
import { isSyncError } from '../../../shared/errors.js';
import type { CrmMail } from '../../../shared/mail/crm-mail.js';
import { emailKey } from '../../../shared/mail/key.js';
import { uniqueName } from '../../support/names.js';

/**
 * The mail sync's store on Azurite (DESIGN section 10): raw Graph ids (with `/`, `+`, `=`)
 * and tenant ids go into keys encoded; an e-mail with a long body is split over properties
 * under 64 KiB; writes pass the ETag.
 */
const connectionString = inject('storageConnectionString');
const tableName = uniqueName('mail');
let store: TableMail;

beforeAll(async () => {
  store = await TableMail.create({ connectionString, tableName });
});
afterAll(async () => {
  await TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  }).deleteTable();
});

function mail(overrides: Partial<CrmMail> = {}): CrmMail {
  return {
    key: emailKey('tenant/1', '<a@b.example>'),
    internetMessageId: '<a@b.example>',
    conversationId: 'AAQkAD/conv+1=',
    direction: 'incoming',
    subject: 'Besichtigung',
    sentAt: '2025-03-01T09:59:00Z',
    receivedAt: '2025-03-01T10:00:00Z',
    bodyPreview: 'Guten Tag',
    bodyText: 'Guten Tag',
    hasAttachments: false,
    attachments: [],
    participants: [{ role: 'from', address: 'anna@kunde.example', name: 'Anna', contactId: 'c1' }],
    contactIds: ['c1'],
    mailboxes: [{ accountId: 'acct/1', folder: 'Inbox' }],
    visibility: 'full',
    ...overrides,
  };
}

describe('TableMail on Azurite', () => {
  it('keeps a CRM e-mail with a long non-ASCII body intact, under its ETag', async () => {
    const long = mail({ bodyText: `${'ä'.repeat(70_000)}€ 😀` });
    const etag = await store.putMail('tenant/1', long, null);
    const read = await store.getMail('tenant/1', long.key);
    expect(read?.value).toEqual(long);
    expect(read?.etag).toBe(etag);
    const stale = await store.putMail('tenant/1', long, null).catch((e: unknown) => e);
    expect(isSyncError(stale, 'conflict')).toBe(true);
    const next = await store.putMail('tenant/1', { ...long, subject: 'neu' }, etag);
    const again = await store.putMail('tenant/1', long, etag).catch((e: unknown) => e);
    expect(isSyncError(again, 'conflict')).toBe(true);
    expect((await store.getMail('tenant/1', long.key))?.etag).toBe(next);
  });

  it('lists the window of a tenant by receivedAt', async () => {
    const tenant = 'tenant#window';
    await store.putMail(
      tenant,
      mail({ key: emailKey(tenant, '<old@x>'), receivedAt: '2024-01-01T00:00:00Z' }),
      null,
    );
    await store.putMail(
      tenant,
      mail({ key: emailKey(tenant, '<new@x>'), receivedAt: '2025-03-01T00:00:00Z' }),
      null,
    );
    const found: string[] = [];
    for await (const m of store.mailsSince(tenant, new Date('2025-01-01T00:00:00Z'))) found.push(m.key);
    expect(found).toEqual([emailKey(tenant, '<new@x>')]);
  });

  it('records known and unlinked copies by raw Graph ids, and forgets ones already gone', async () => {
    const id = 'AAMkAD/x+y==';
    await store.applyCopies('acct/1', [{ messageId: id, copy: { key: 'em_1', folder: 'Inbox' } }], []);
    expect(await store.knownCopies('acct/1')).toEqual(new Map([[id, { key: 'em_1', folder: 'Inbox' }]]));
    await store.applyCopies('acct/1', [], [id, 'never-there']);
    expect((await store.knownCopies('acct/1')).size).toBe(0);

    await store.rememberUnlinked('acct/1', [
      {
        messageId: id,
        folder: 'Inbox',
        addresses: ['neu@kunde.example'],
        receivedAt: '2025-03-01T10:00:00Z',
      },
    ]);
    const listed = [];
    for await (const copy of store.unlinked('acct/1')) listed.push(copy);
    expect(listed).toEqual([
      {
        messageId: id,
        folder: 'Inbox',
        addresses: ['neu@kunde.example'],
        receivedAt: '2025-03-01T10:00:00Z',
      },
    ]);
    await store.forgetUnlinked('acct/1', [id, id]);
    for await (const _ of store.unlinked('acct/1')) throw new Error('still there');
  });

  it('maps a message subscription to its account', async () => {
    await store.putSubscriptionOwner('sub/1', 'acct/1');
    expect(await store.subscriptionOwner('sub/1')).toBe('acct/1');
    await store.deleteSubscriptionOwner('sub/1');
    await store.deleteSubscriptionOwner('sub/1');
    expect(await store.subscriptionOwner('sub/1')).toBeNull();
    expect(await store.subscriptionOwner('\uD800')).toBeNull();
  });
});
