import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldersToSync, type MailFolderInfo } from '../../../shared/mail/folders.js';
import { EMAIL_KEY_PATTERN, emailKey } from '../../../shared/mail/key.js';
import { inWindow, windowStart } from '../../../shared/mail/window.js';

const folders: MailFolderInfo[] = [
  { id: 'root-inbox', parentFolderId: 'root', displayName: 'Posteingang' },
  { id: 'inbox-kunden', parentFolderId: 'root-inbox', displayName: 'Kunden' },
  { id: 'sent', parentFolderId: 'root', displayName: 'Gesendete Elemente' },
  { id: 'deleted', parentFolderId: 'root', displayName: 'Gelöschte Elemente' },
  { id: 'deleted-old', parentFolderId: 'deleted', displayName: 'Alt' },
  { id: 'junk', parentFolderId: 'root', displayName: 'Junk-E-Mail' },
  { id: 'drafts', parentFolderId: 'root', displayName: 'Entwürfe' },
  { id: 'outbox', parentFolderId: 'root', displayName: 'Postausgang' },
  { id: 'archiv', parentFolderId: 'root', displayName: 'Archiv' },
];
const wellKnown = {
  inbox: 'root-inbox',
  sentitems: 'sent',
  deleteditems: 'deleted',
  junkemail: 'junk',
  drafts: 'drafts',
  outbox: 'outbox',
};

describe('folder rules', () => {
  it('syncs Inbox and Sent Items by default', () => {
    expect(foldersToSync(folders, wellKnown, 'inboxAndSent')).toEqual(['root-inbox', 'sent']);
  });

  it('with "all", every folder but Deleted Items, Junk, Drafts, Outbox and what lies below them', () => {
    expect(foldersToSync(folders, wellKnown, 'all')).toEqual([
      'root-inbox',
      'inbox-kunden',
      'sent',
      'archiv',
    ]);
  });

  it('survives a parent cycle in bad input', () => {
    const cyclic = [
      { id: 'a', parentFolderId: 'b', displayName: 'a' },
      { id: 'b', parentFolderId: 'a', displayName: 'b' },
    ];
    expect(foldersToSync(cyclic, wellKnown, 'all')).toEqual(['a', 'b']);
  });
});

describe('first-import window', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  it('keeps mail received within 90 days (inclusive), drops older', () => {
    expect(windowStart(now, 90).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(inWindow({ receivedDateTime: '2025-03-03T00:00:00Z' }, now, 90)).toBe(true);
    expect(inWindow({ receivedDateTime: '2025-03-02T23:59:59Z' }, now, 90)).toBe(false);
    expect(inWindow({ receivedDateTime: null }, now, 90)).toBe(true);
  });
});

describe('CRM e-mail key', () => {
  it('is one key per tenant and internetMessageId, URL-safe and fixed length', () => {
    const key = emailKey('Tenant-A', '<abc@x.example>');
    expect(key).toMatch(EMAIL_KEY_PATTERN);
    expect(emailKey('tenant-a', ' abc@x.example ')).toBe(key);
    expect(emailKey('tenant-b', '<abc@x.example>')).not.toBe(key);
    expect(emailKey('tenant-a', '<ABC@x.example>')).not.toBe(key); // Message-IDs are exact tokens
  });

  it('property: distinct Message-IDs give distinct keys, always URL-safe', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const ka = emailKey('t', `<${a}>`);
        expect(ka).toMatch(EMAIL_KEY_PATTERN);
        if (a.trim() !== b.trim()) expect(emailKey('t', `<${b}>`)).not.toBe(ka);
      }),
    );
  });
});
