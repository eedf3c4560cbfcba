import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smtpAddresses } from '../../../shared/mail/addresses.js';
import { contactIndexOf, linkMessage } from '../../../shared/mail/link.js';
import { participantsOf } from '../../../shared/mail/participants.js';
import { message, OWNER, who } from './fixtures.js';

const index = contactIndexOf([
  { id: 'c-anna', emails: [{ address: 'Anna@Kunde.example' }, { address: 'anna.privat@web.example' }] },
  { id: 'c-bernd', emails: [{ address: 'bernd@kunde.example' }] },
  { id: 'c-shared', emails: [{ address: 'bernd@kunde.example' }] },
]);

describe('participants', () => {
  it('lists from, to, cc and bcc with their roles, lower-cased, once per role', () => {
    const m = message({
      toRecipients: [who('MAX@makler.example', 'Max'), who('max@makler.example')],
      ccRecipients: [who('bernd@kunde.example')],
      bccRecipients: [who('anna.privat@web.example')],
    });
    expect(participantsOf(m)).toEqual([
      { role: 'from', address: 'anna@kunde.example', name: 'Anna Kunde' },
      { role: 'to', address: 'max@makler.example', name: 'Max' },
      { role: 'cc', address: 'bernd@kunde.example', name: null },
      { role: 'bcc', address: 'anna.privat@web.example', name: null },
    ]);
  });

  it('falls back to sender without from, and skips recipients without an address', () => {
    const m = message({
      from: null,
      toRecipients: [{ emailAddress: { name: 'X500 only' } }, who('max@makler.example')],
    });
    expect(participantsOf(m).map((p) => `${p.role}:${p.address}`)).toEqual([
      'from:anna@kunde.example',
      'to:max@makler.example',
    ]);
  });
});

describe('linking', () => {
  it('matches every participant case-insensitively against every address of the contacts', () => {
    const result = linkMessage(
      message({ from: who('ANNA.PRIVAT@web.example'), ccRecipients: [who('Bernd@Kunde.Example')] }),
      OWNER,
      index,
    );
    expect(result.linked).toBe(true);
    expect(result.direction).toBe('incoming');
    expect(result.contactIds).toEqual(['c-anna', 'c-bernd', 'c-shared']);
    expect(result.participants).toEqual([
      { role: 'from', address: 'anna.privat@web.example', name: null, contactId: 'c-anna' },
      { role: 'to', address: 'max@makler.example', name: 'Max Makler', contactId: null },
      { role: 'cc', address: 'bernd@kunde.example', name: null, contactId: 'c-bernd' },
    ]);
  });

  it("is outgoing when the owner sent it, from any of the owner's proxy addresses", () => {
    const own = new Set(
      smtpAddresses(['SMTP:max@makler.example', 'smtp:M.Makler@makler-alias.example', 'X500:/o=x']),
    );
    expect(own).toEqual(OWNER);
    const reply = message({
      from: who('M.Makler@Makler-Alias.example'),
      toRecipients: [who('anna@kunde.example')],
    });
    expect(linkMessage(reply, own, index)).toMatchObject({ direction: 'outgoing', contactIds: ['c-anna'] });
  });

  it('links nothing when no participant is a contact, and never links the owner', () => {
    const stranger = message({ from: who('someone@else.example') });
    expect(linkMessage(stranger, OWNER, index)).toMatchObject({ linked: false, contactIds: [] });
    const ownAsContact = contactIndexOf([{ id: 'c-max', emails: [{ address: 'max@makler.example' }] }]);
    expect(linkMessage(stranger, OWNER, ownAsContact).linked).toBe(false);
  });

  it('property: linking ignores the case of every address', () => {
    const flip = (s: string, mask: boolean[]) =>
      [...s].map((ch, i) => (mask[i % Math.max(mask.length, 1)] ? ch.toUpperCase() : ch)).join('');
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (mask) => {
        const m = message({
          from: who(flip('anna@kunde.example', mask)),
          toRecipients: [who(flip('max@makler.example', mask))],
        });
        const result = linkMessage(m, OWNER, index);
        return result.linked && result.direction === 'incoming' && result.contactIds.join() === 'c-anna';
      }),
    );
  });
});
