import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClassifyContext, classifyMessage, type MailCopy } from '../../../shared/mail/classify.js';
import { crmMailSchema } from '../../../shared/mail/crm-mail.js';
import { emailKey } from '../../../shared/mail/key.js';
import { contactIndexOf } from '../../../shared/mail/link.js';
import { mergeCopies, mergeCopy, movedInMailbox, withoutMailbox } from '../../../shared/mail/merge.js';
import type { GraphMessage } from '../../../shared/mail/message.js';
import { DEFAULT_MAIL_SETTINGS, type Visibility } from '../../../shared/mail/settings.js';
import { message, who } from './fixtures.js';

const index = contactIndexOf([
  { id: 'c-anna', emails: [{ address: 'anna@kunde.example' }] },
  { id: 'c-bernd', emails: [{ address: 'bernd@kunde.example' }] },
]);
const agents = {
  max: { accountId: 'acc-max', own: new Set(['max@makler.example']) },
  eva: { accountId: 'acc-eva', own: new Set(['eva@makler.example']) },
};

function context(agent: keyof typeof agents, overrides: Partial<ClassifyContext> = {}): ClassifyContext {
  return {
    tenantId: 'tenant-1',
    accountId: agents[agent].accountId,
    folder: 'Inbox',
    settings: DEFAULT_MAIL_SETTINGS,
    blocklist: new Set(),
    ownAddresses: agents[agent].own,
    index,
    now: new Date('2025-03-02T00:00:00Z'),
    applyWindow: true,
    ...overrides,
  };
}

function linked(m: GraphMessage, ctx: ClassifyContext): MailCopy {
  const result = classifyMessage(m, ctx);
  if (result.kind !== 'linked') throw new Error(`expected a linked copy, got ${result.reason}`);
  return result.copy;
}

// Max writes to Eva (colleague) and Anna (client), bcc Bernd (client).
const sent = message({
  from: who('max@makler.example', 'Max'),
  sender: who('max@makler.example', 'Max'),
  toRecipients: [who('eva@makler.example', 'Eva'), who('anna@kunde.example', 'Anna')],
  bccRecipients: [who('bernd@kunde.example')],
});
const { bccRecipients: _bcc, ...received } = sent; // a recipient's copy lists no bcc

describe('classifying one copy', () => {
  it('skips mail with no contact, outside the window, without Message-ID, or excluded (with the reason)', () => {
    const ctx = context('max');
    expect(classifyMessage(message({ from: who('x@fremd.example') }), ctx)).toEqual({
      kind: 'skipped',
      reason: 'noContact',
    });
    expect(classifyMessage(message({ receivedDateTime: '2024-01-01T00:00:00Z' }), ctx)).toEqual({
      kind: 'skipped',
      reason: 'outsideWindow',
    });
    expect(
      classifyMessage(message({ receivedDateTime: '2024-01-01T00:00:00Z' }), { ...ctx, applyWindow: false })
        .kind,
    ).toBe('linked');
    expect(classifyMessage(message({ internetMessageId: null }), ctx)).toEqual({
      kind: 'skipped',
      reason: 'noMessageId',
    });
    expect(classifyMessage(message({ categories: ['Privat'] }), ctx)).toEqual({
      kind: 'skipped',
      reason: 'privateCategory',
    });
  });

  it('keys by tenant and internetMessageId, and keeps bcc only in the sender copy', () => {
    const result = classifyMessage(sent, context('max', { folder: 'Sent Items' }));
    expect(result).toMatchObject({ kind: 'linked', key: emailKey('tenant-1', sent.internetMessageId!) });
    const fromEva = linked({ ...received, bccRecipients: [who('bernd@kunde.example')] }, context('eva'));
    expect(fromEva.participants.map((p) => p.role)).not.toContain('bcc');
    expect(fromEva.contactIds).toEqual(['c-anna']);
  });
});

describe('one CRM e-mail from every copy (issue 17, item 4)', () => {
  const key = emailKey('tenant-1', sent.internetMessageId!);
  const maxCopy = linked(sent, context('max', { folder: 'Sent Items' }));
  const evaCopy = linked(received, context('eva'));

  it('merges participants (bcc from the sender copy), lists each mailbox, is outgoing', () => {
    const mail = mergeCopies(key, [evaCopy, maxCopy])!;
    expect(crmMailSchema.parse(mail)).toEqual(mail);
    expect(mail.direction).toBe('outgoing');
    expect(mail.mailboxes).toEqual([
      { accountId: 'acc-eva', folder: 'Inbox' },
      { accountId: 'acc-max', folder: 'Sent Items' },
    ]);
    expect(mail.contactIds).toEqual(['c-anna', 'c-bernd']);
    expect(mail.participants).toEqual([
      { role: 'from', address: 'max@makler.example', name: 'Max', contactId: null },
      { role: 'to', address: 'anna@kunde.example', name: 'Anna', contactId: 'c-anna' },
      { role: 'to', address: 'eva@makler.example', name: 'Eva', contactId: null },
      { role: 'bcc', address: 'bernd@kunde.example', name: null, contactId: 'c-bernd' },
    ]);
  });

  it('a delete or move in one mailbox changes only that entry; the e-mail stays', () => {
    const mail = mergeCopies(key, [maxCopy, evaCopy])!;
    expect(withoutMailbox(mail, 'acc-eva')).toEqual({
      ...mail,
      mailboxes: [{ accountId: 'acc-max', folder: 'Sent Items' }],
    });
    expect(movedInMailbox(mail, 'acc-eva', 'Kunden')).toEqual({
      ...mail,
      mailboxes: [
        { accountId: 'acc-eva', folder: 'Kunden' },
        { accountId: 'acc-max', folder: 'Sent Items' },
      ],
    });
  });

  it('builds the document with the visibility: metadata, subject or full', () => {
    const withBody = {
      ...maxCopy,
      bodyText: 'Hallo Anna',
      attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 1200 }],
    };
    const full = mergeCopy(key, null, withBody);
    expect(full).toMatchObject({
      visibility: 'full',
      subject: sent.subject,
      bodyText: 'Hallo Anna',
      bodyPreview: sent.bodyPreview,
    });
    expect(full.attachments).toHaveLength(1);
    const subjectOnly = mergeCopy(key, null, { ...withBody, visibility: 'subject' });
    expect(subjectOnly).toMatchObject({
      subject: sent.subject,
      bodyPreview: null,
      bodyText: null,
      attachments: [],
    });
    const metadata = mergeCopy(key, null, { ...withBody, visibility: 'metadata' });
    expect(metadata).toMatchObject({
      subject: null,
      bodyPreview: null,
      bodyText: null,
      attachments: [],
      hasAttachments: false,
    });
    expect(metadata.participants).toHaveLength(4);
  });

  // Property: copies of one message from any set of mailboxes, with any visibility, merged in
  // any order and with repeats, give one and the same CRM e-mail.
  const copyArb = fc.record({
    agent: fc.constantFrom<keyof typeof agents>('max', 'eva'),
    folder: fc.constantFrom('Inbox', 'Sent Items', 'Kunden'),
    visibility: fc.constantFrom<Visibility>('metadata', 'subject', 'full'),
  });

  it('property: merging is order-independent and idempotent', () => {
    fc.assert(
      fc.property(fc.array(copyArb, { minLength: 1, maxLength: 6 }), fc.nat(), (specs, seed) => {
        // One folder per mailbox (a mailbox holds its copy in one place).
        const folderOf = new Map(specs.map((s) => [s.agent, s.folder]));
        const copies = specs.map((s) => {
          const copy = linked(
            s.agent === 'max' ? sent : received,
            context(s.agent, { folder: folderOf.get(s.agent)! }),
          );
          return { ...copy, visibility: s.visibility };
        });
        const shuffled = [...copies, ...copies].sort(
          (a, b) => ((a.accountId.length * 31 + seed) % 7) - ((b.accountId.length * 17 + seed) % 5),
        );
        const once = mergeCopies(key, copies)!;
        expect(mergeCopies(key, shuffled)).toEqual(once);
        expect(mergeCopies(key, [...copies].reverse())).toEqual(once);
        expect(crmMailSchema.safeParse(once).success).toBe(true);
        // bcc is in the CRM e-mail exactly when the sender's copy was merged.
        const senderMerged = specs.some((s) => s.agent === 'max');
        expect(once.participants.some((p) => p.role === 'bcc')).toBe(senderMerged);
        expect(once.mailboxes.map((m) => m.accountId)).toEqual(
          [...new Set(copies.map((c) => c.accountId))].sort(),
        );
      }),
    );
  });

  it('property: removing one mailbox leaves every other field and entry as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom('acc-max', 'acc-eva', 'acc-other'), (accountId) => {
        const mail = mergeCopies(key, [maxCopy, evaCopy])!;
        const after = withoutMailbox(mail, accountId);
        const { mailboxes: before, ...rest } = mail;
        const { mailboxes: left, ...restAfter } = after;
        expect(restAfter).toEqual(rest);
        expect(left).toEqual(before.filter((m) => m.accountId !== accountId));
      }),
    );
  });
});
