import { describe, expect, it } from 'vitest';
import { exclusionReason, isNoReplyAddress } from '../../../shared/mail/exclusions.js';
import type { GraphMessage } from '../../../shared/mail/message.js';
import { participantsOf } from '../../../shared/mail/participants.js';
import {
  blocklistOf,
  DEFAULT_MAIL_SETTINGS,
  type MailSettings,
  mailSettingsSchema,
  tenantMailSettingsSchema,
} from '../../../shared/mail/settings.js';
import { message, OWNER, who } from './fixtures.js';

function reason(m: GraphMessage, settings: Partial<MailSettings> = {}, tenantBlocklist: string[] = []) {
  const parsed = mailSettingsSchema.parse(settings);
  return exclusionReason(m, participantsOf(m), {
    settings: parsed,
    blocklist: blocklistOf(parsed, tenantMailSettingsSchema.parse({ blocklist: tenantBlocklist })),
    ownAddresses: OWNER,
  });
}

const headers = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));

describe('exclusion rules (issue 17, item 2)', () => {
  it('has the defaults the issue names', () => {
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
    expect(reason(message())).toBeNull();
  });

  it('always leaves drafts out', () => {
    expect(reason(message({ isDraft: true }), { excludeBulk: false })).toBe('draft');
  });

  it('leaves out internal-only mail (every participant on an owner domain), as a setting', () => {
    const internal = message({
      from: who('kollegin@makler.example'),
      toRecipients: [who('max@makler.example')],
      ccRecipients: [who('chef@makler-alias.example')],
    });
    expect(reason(internal)).toBe('internal');
    expect(reason(internal, { excludeInternal: false })).toBeNull();
    expect(
      reason(message({ from: who('a@partner.example'), toRecipients: [who('max@makler.example')] }), {
        internalDomains: ['partner.example'],
      }),
    ).toBe('internal');
  });

  it('leaves out mail from no-reply and role addresses, as a setting', () => {
    for (const address of [
      'noreply@x.example',
      'No-Reply@x.example',
      'do_not_reply@x.example',
      'MAILER-DAEMON@x.example',
      'newsletter@x.example',
      'noreply-123@x.example',
    ]) {
      expect(isNoReplyAddress(address), address).toBe(true);
      expect(reason(message({ from: who(address) }))).toBe('noReply');
    }
    expect(isNoReplyAddress('anna@x.example')).toBe(false);
    expect(isNoReplyAddress('info@x.example')).toBe(false); // small firms answer from info@
    expect(reason(message({ from: who('noreply@x.example') }), { excludeNoReply: false })).toBeNull();
  });

  it('leaves out bulk mail by List-Unsubscribe, List-Id, Precedence and Auto-Submitted, as a setting', () => {
    const bulk: [string, string][] = [
      ['List-Unsubscribe', '<mailto:unsub@news.example>'],
      ['list-id', '<angebote.news.example>'],
      ['Precedence', 'bulk'],
      ['Precedence', 'list'],
      ['Auto-Submitted', 'auto-generated'],
      ['Auto-Submitted', 'auto-replied'],
    ];
    for (const pair of bulk) {
      expect(reason(message({ internetMessageHeaders: headers(pair) })), pair.join(': ')).toBe('bulk');
    }
    expect(
      reason(
        message({ internetMessageHeaders: headers(['Auto-Submitted', 'no'], ['Precedence', 'first-class']) }),
      ),
    ).toBeNull();
    expect(reason(message({ internetMessageHeaders: headers(bulk[0]!) }), { excludeBulk: false })).toBeNull();
  });

  it('leaves out calendar invitations (eventMessage types or Content-Class), as a setting', () => {
    expect(reason(message({ '@odata.type': '#microsoft.graph.eventMessageRequest' }))).toBe('calendar');
    expect(
      reason(
        message({
          internetMessageHeaders: headers(['Content-Class', 'urn:content-classes:calendarmessage']),
        }),
      ),
    ).toBe('calendar');
    expect(
      reason(message({ '@odata.type': '#microsoft.graph.eventMessage' }), { excludeCalendar: false }),
    ).toBeNull();
  });

  it('leaves out mail carrying the private category (default "Privat", case-insensitive, configurable)', () => {
    expect(reason(message({ categories: ['Kunde', 'privat'] }))).toBe('privateCategory');
    expect(reason(message({ categories: ['Privat'] }), { privateCategory: 'Persönlich' })).toBeNull();
    expect(reason(message({ categories: ['Persönlich'] }), { privateCategory: 'Persönlich' })).toBe(
      'privateCategory',
    );
    expect(reason(message({ categories: ['Privat'] }), { privateCategory: null })).toBeNull();
  });

  it('leaves out mail with a blocked address or @domain, per account and per tenant', () => {
    expect(
      reason(message({ ccRecipients: [who('Arzt@Praxis.example')] }), { blocklist: ['arzt@praxis.example'] }),
    ).toBe('blocked');
    expect(reason(message(), { blocklist: ['@KUNDE.example'] })).toBe('blocked');
    expect(reason(message(), {}, ['@kunde.example'])).toBe('blocked');
    expect(reason(message(), { blocklist: ['@other.example'] }, ['x@y.example'])).toBeNull();
    expect(mailSettingsSchema.safeParse({ blocklist: ['not an address'] }).success).toBe(false);
  });
});
