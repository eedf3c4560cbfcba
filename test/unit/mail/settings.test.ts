import { describe, expect, it } from 'vitest';
import {
  applyMailSettingsPatch,
  applyTenantMailSettingsPatch,
  blocklistOf,
  changedFields,
  DEFAULT_MAIL_SETTINGS,
  effectiveMailSettings,
  MAX_BLOCKLIST_ENTRIES,
  mailSettingsPatchSchema,
  needsFullRound,
  tenantMailSettingsPatchSchema,
} from '../../../shared/mail/settings.js';
import { tenantMailSettingsOf } from '../../../shared/mail/settings-store.js';

/** The mail settings' rules (issue 17 items 1 and 2): defaults, patches, what a change needs. */
describe('mail settings', () => {
  it('fills every default in for an account that saved none or only some', () => {
    expect(effectiveMailSettings(undefined)).toEqual(DEFAULT_MAIL_SETTINGS);
    expect(DEFAULT_MAIL_SETTINGS).toEqual({
      folders: 'inboxAndSent',
      windowDays: 90,
      excludeInternal: true,
      excludeNoReply: true,
      excludeBulk: true,
      excludeCalendar: true,
      privateCategory: 'Privat',
      blocklist: [],
      internalDomains: [],
      visibility: 'full',
    });
    expect(effectiveMailSettings({ windowDays: 30 })).toEqual({ ...DEFAULT_MAIL_SETTINGS, windowDays: 30 });
    // A stored value that no longer passes the schema falls back to the defaults, not a crash.
    expect(effectiveMailSettings({ windowDays: -1 })).toEqual(DEFAULT_MAIL_SETTINGS);
  });

  it('accepts a partial patch, lower-cases list entries, and refuses anything else', () => {
    expect(mailSettingsPatchSchema.parse({})).toEqual({});
    expect(
      mailSettingsPatchSchema.parse({
        blocklist: [' Max@Example.COM ', '@Spam.example'],
        privateCategory: null,
      }),
    ).toEqual({ blocklist: ['max@example.com', '@spam.example'], privateCategory: null });
    for (const bad of [
      { windowDays: 0 },
      { windowDays: 3651 },
      { windowDays: 1.5 },
      { folders: 'deleteditems' },
      { blocklist: ['no-at-sign'] },
      { blocklist: ['@nodot'] },
      { blocklist: Array.from({ length: MAX_BLOCKLIST_ENTRIES + 1 }, (_, i) => `a${i}@x.example`) },
      { internalDomains: ['not a domain'] },
      { privateCategory: '' },
      { visibility: 'none' },
      { other: 1 },
    ])
      expect(mailSettingsPatchSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    expect(tenantMailSettingsPatchSchema.safeParse({ blocklist: ['@ok.example'] }).success).toBe(true);
    expect(tenantMailSettingsPatchSchema.safeParse({ windowDays: 30 }).success).toBe(false);
  });

  it('replaces each patched field whole and keeps each list entry once', () => {
    const current = { ...DEFAULT_MAIL_SETTINGS, blocklist: ['@a.example'] };
    const next = applyMailSettingsPatch(current, {
      blocklist: ['@b.example', '@b.example'],
      excludeBulk: false,
    });
    expect(next).toEqual({ ...DEFAULT_MAIL_SETTINGS, blocklist: ['@b.example'], excludeBulk: false });
    expect(changedFields(current, next)).toEqual(['excludeBulk', 'blocklist']);
    expect(changedFields(current, applyMailSettingsPatch(current, { windowDays: 90 }))).toEqual([]);
    expect(applyTenantMailSettingsPatch({ blocklist: ['@a.example'] }, {})).toEqual({
      blocklist: ['@a.example'],
    });
    expect(applyTenantMailSettingsPatch({ blocklist: ['@a.example'] }, { blocklist: [] })).toEqual({
      blocklist: [],
    });
  });

  it('asks for a full round when the folders or the window change, and only then', () => {
    const d = DEFAULT_MAIL_SETTINGS;
    expect(needsFullRound(d, { ...d, folders: 'all' })).toBe(true);
    expect(needsFullRound(d, { ...d, windowDays: 180 })).toBe(true);
    expect(needsFullRound(d, { ...d, windowDays: 30 })).toBe(true);
    expect(
      needsFullRound(d, { ...d, excludeBulk: false, blocklist: ['@x.example'], visibility: 'metadata' }),
    ).toBe(false);
  });

  it("puts the tenant's blocklist on top of the account's", async () => {
    expect(
      blocklistOf({ ...DEFAULT_MAIL_SETTINGS, blocklist: ['@a.example'] }, { blocklist: ['b@c.example'] }),
    ).toEqual(new Set(['@a.example', 'b@c.example']));
    expect(await tenantMailSettingsOf(undefined, 't')).toEqual({ blocklist: [] });
    const store = {
      get: async (id: string) => (id === 't' ? { value: { blocklist: ['@t.example'] }, etag: 'e' } : null),
      put: async () => 'e2',
    };
    expect(await tenantMailSettingsOf(store, 't')).toEqual({ blocklist: ['@t.example'] });
    expect(await tenantMailSettingsOf(store, 'other')).toEqual({ blocklist: [] });
    expect(await tenantMailSettingsOf(store, null)).toEqual({ blocklist: [] });
  });
});
