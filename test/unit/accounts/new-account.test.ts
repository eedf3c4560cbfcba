import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATION_INSTANTS as I } from '../../../shared/accounts/migration-policy.js';
import {
  migrateBodySchema,
  newAccount,
  registerAccountSchema,
} from '../../../shared/accounts/new-account.js';

const now = new Date('2025-07-01T08:00:00Z');

describe('registerAccountSchema', () => {
  it.each([
    [{ email: 'anna@example.de', syncVersion: 'v3' }],
    [
      {
        email: 'anna@example.de',
        syncVersion: 'v2',
        userId: 'u-1',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      },
    ],
    [
      {
        email: 'anna@example.de',
        syncVersion: 'v3',
        tenantId: 'contoso.onmicrosoft.com',
        provider: 'microsoft365',
      },
    ],
    [
      {
        email: 'a@b.de',
        syncVersion: 'v3',
        defaultCountry: 'AT',
        targetFolderId: 'AAMk=',
        exchangeDeleteAction: 'delete',
      },
    ],
    [{ email: 'a@b.de', syncVersion: 'v3', targetFolderId: null }],
  ])('accepts %j', (body) => {
    expect(registerAccountSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['missing syncVersion', { email: 'a@b.de' }],
    ['bad syncVersion', { email: 'a@b.de', syncVersion: 'v4' }],
    ['no e-mail', { syncVersion: 'v3' }],
    ['e-mail without domain', { email: 'anna@', syncVersion: 'v3' }],
    ['e-mail with a space', { email: 'an na@example.de', syncVersion: 'v3' }],
    ['unknown field', { email: 'a@b.de', syncVersion: 'v3', admin: true }],
    ['tenant neither GUID nor domain', { email: 'a@b.de', syncVersion: 'v3', tenantId: 'not a tenant' }],
    ['tenant single label', { email: 'a@b.de', syncVersion: 'v3', tenantId: 'contoso' }],
    ['unknown country', { email: 'a@b.de', syncVersion: 'v3', defaultCountry: 'XX' }],
    ['alpha-3 country', { email: 'a@b.de', syncVersion: 'v3', defaultCountry: 'DEU' }],
    ['unknown provider', { email: 'a@b.de', syncVersion: 'v3', provider: 'gmail' }],
    ['bad delete action', { email: 'a@b.de', syncVersion: 'v3', exchangeDeleteAction: 'purge' }],
  ])('rejects %s', (_name, body) => {
    expect(registerAccountSchema.safeParse(body).success).toBe(false);
  });

  it('upper-cases the country', () => {
    expect(
      registerAccountSchema.parse({ email: 'a@b.de', syncVersion: 'v3', defaultCountry: 'ch' })
        .defaultCountry,
    ).toBe('CH');
  });
});

describe('newAccount', () => {
  it('fills the defaults and the migration state of a V2 account', () => {
    const account = newAccount(registerAccountSchema.parse({ email: 'anna@example.de', syncVersion: 'v2' }), {
      id: 'a1',
      now,
      instants: I,
    });
    expect(account).toMatchObject({
      id: 'a1',
      email: 'anna@example.de',
      userId: 'anna@example.de',
      tenantId: null,
      provider: 'unknown',
      defaultCountry: 'DE',
      targetFolderId: null,
      exchangeDeleteAction: 'unlink',
      deltaLinks: {},
      crmCursor: null,
      subscription: null,
      pendingCreates: [],
      createdAt: '2025-07-01T08:00:00.000Z',
    });
    expect(account.status).toEqual({
      lastSyncAt: null,
      lastDeltaStartedAt: null,
      lastError: null,
      heldDeletes: 0,
      heldDeletesConfirmed: false,
      warnings: 0,
    });
    expect(account.migration.state).toBe('migrationRequired');
    expect(account.migration.banner?.severity).toBe('warning');
    expect(account.migration.history).toEqual([
      { at: '2025-07-01T08:00:00.000Z', from: null, to: 'migrationRequired' },
    ]);
  });

  it('keeps what the caller gave and shows no banner for V3', () => {
    const input = registerAccountSchema.parse({
      email: 'b@example.de',
      userId: 'user-guid',
      tenantId: 'example.de',
      syncVersion: 'v3',
      defaultCountry: 'at',
      exchangeDeleteAction: 'delete',
    });
    const account = newAccount(input, { id: 'b1', now, instants: I });
    expect(account).toMatchObject({
      userId: 'user-guid',
      tenantId: 'example.de',
      provider: 'microsoft365',
      defaultCountry: 'AT',
      exchangeDeleteAction: 'delete',
    });
    expect(account.migration).toEqual({
      state: 'ok',
      banner: null,
      history: [{ at: now.toISOString(), from: null, to: 'ok' }],
    });
  });

  it('registers a V2 account after the shutdown as stopped', () => {
    const account = newAccount(
      { email: 'c@example.de', syncVersion: 'v2' },
      { id: 'c1', now: new Date('2025-08-02T00:00:00Z'), instants: I },
    );
    expect(account.migration.state).toBe('syncStopped');
  });
});

describe('migrateBodySchema', () => {
  it.each([
    [{}],
    [{ provider: 'microsoft365' }],
    [{ provider: 'onPremises', host: 'mail.firma.de', username: 'FIRMA\\anna', password: 'pw' }],
    [
      {
        provider: 'onPremises',
        host: 'https://mail.firma.de/EWS/Exchange.asmx',
        username: 'anna@firma.de',
        password: 'pw',
      },
    ],
    [{ provider: 'onPremises', host: 'mail.firma.de:443', username: 'anna', password: 'pw', caPem: null }],
  ])('accepts %j', (body) => {
    expect(migrateBodySchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['onPremises without host', { provider: 'onPremises', username: 'anna', password: 'pw' }],
    ['onPremises without username', { provider: 'onPremises', host: 'mail.firma.de', password: 'pw' }],
    ['onPremises without password', { provider: 'onPremises', host: 'mail.firma.de', username: 'anna' }],
    [
      'a login with two backslashes',
      { provider: 'onPremises', host: 'h', username: 'A\\B\\c', password: 'pw' },
    ],
    [
      'a CA that is no PEM',
      { provider: 'onPremises', host: 'h', username: 'anna', password: 'pw', caPem: 'abc' },
    ],
    ['host without onPremises', { provider: 'microsoft365', host: 'mail.firma.de' }],
    ['ionos is no migration target', { provider: 'ionos' }],
    ['host with a space', { provider: 'onPremises', host: 'mail firma.de', username: 'anna', password: 'p' }],
    ['http URL', { provider: 'onPremises', host: 'http://mail.firma.de', username: 'anna', password: 'p' }],
    ['unknown field', { provider: 'microsoft365', password: 'secret' }],
  ])('rejects %s', (_name, body) => {
    const result = migrateBodySchema.safeParse(body);
    expect(result.success).toBe(false);
  });

  it('names the missing fields', () => {
    const result = migrateBodySchema.safeParse({ provider: 'onPremises', host: 'mail.firma.de' });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['username', 'password']);
  });
});

describe('the on-premises CA PEM', () => {
  it('takes real certificates, with CRLF line ends stored as LF, and refuses what Node cannot read', async () => {
    const { generate } = await import('selfsigned');
    const { cert } = await generate([{ name: 'commonName', value: 'Firma CA' }], { keySize: 2048 });
    const body = (caPem: string) => ({
      provider: 'onPremises',
      host: 'h',
      username: 'anna',
      password: 'pw',
      caPem,
    });
    const parsed = migrateBodySchema.safeParse(body(cert.replace(/\n/g, '\r\n')));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.caPem).toBe(cert.trim());
    // The header is intact, the DER inside is not (one line of it reversed).
    const lines = cert.split('\n');
    lines[2] = [...(lines[2] ?? '')].reverse().join('');
    const broken = lines.join('\n');
    expect(migrateBodySchema.safeParse(body(broken)).success).toBe(false);
  });
});
