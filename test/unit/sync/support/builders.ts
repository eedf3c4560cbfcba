import type { Account } from '../../../../shared/accounts/account.js';
import {
  type CrmContact,
  type CrmContactInput,
  contentHash,
  crmContactInputSchema,
  EMPTY_FIELDS,
  type ExchangeContact,
  type ExchangeFields,
  toGraphBody,
} from '../../../../shared/contact/index.js';
import type { Stored } from '../../../../shared/ports.js';
import type { ContactLink } from '../../../../shared/sync/link.js';

/** Hand-made values for the sync tests: every field of each type spelled out once. */

export function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc-1',
    email: 'makler@example.de',
    userId: 'makler@example.de',
    tenantId: 'tenant-1',
    provider: 'microsoft365',
    syncVersion: 'v3',
    defaultCountry: 'DE',
    targetFolderId: null,
    exchangeDeleteAction: 'unlink',
    deltaLinks: {},
    crmCursor: null,
    subscription: null,
    migration: { state: 'ok', banner: null, history: [] },
    pendingCreates: [],
    status: {
      lastSyncAt: null,
      lastDeltaStartedAt: null,
      lastError: null,
      heldDeletes: 0,
      heldDeletesConfirmed: false,
      warnings: 0,
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function crmContact(input: Partial<CrmContactInput> & Partial<CrmContact> = {}): CrmContact {
  const { id = 'c1', version = 1, createdAt, updatedAt, ...content } = input;
  return {
    ...crmContactInputSchema.parse(content),
    id,
    version,
    createdAt: createdAt ?? '2025-01-01T00:00:00.000Z',
    updatedAt: updatedAt ?? '2025-01-01T00:00:00.000Z',
  };
}

export function fields(overrides: Partial<ExchangeFields> = {}): ExchangeFields {
  return { ...EMPTY_FIELDS, ...overrides };
}

export function exchangeContact(
  window: Partial<ExchangeFields>,
  meta: { id?: string; changeKey?: string; lastModifiedDateTime?: string } = {},
): ExchangeContact {
  return {
    ...(toGraphBody(fields(window)) as Partial<ExchangeContact>),
    id: meta.id ?? 'x1',
    changeKey: meta.changeKey ?? 'ck1',
    lastModifiedDateTime: meta.lastModifiedDateTime ?? '2025-01-01T00:00:00Z',
    parentFolderId: 'folder-default',
  };
}

export function link(snapshot: ExchangeFields, overrides: Partial<ContactLink> = {}): Stored<ContactLink> {
  return {
    etag: 'etag-1',
    value: {
      accountId: 'acc-1',
      linkId: 'crm.c1',
      crmId: 'c1',
      exchangeId: 'x1',
      exchangeFolderId: 'folder-default',
      changeKey: 'ck1',
      crmVersion: 1,
      snapshot,
      snapshotHash: contentHash(snapshot),
      origin: 'crm',
      syncedAt: '2025-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}
