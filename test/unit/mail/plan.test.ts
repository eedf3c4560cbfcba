import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassifyContext } from '../../../shared/mail/classify.js';
import type { CrmMail } from '../../../shared/mail/crm-mail.js';
import { emailKey } from '../../../shared/mail/key.js';
import { contactIndexOf } from '../../../shared/mail/link.js';
import type { DeltaEntry } from '../../../shared/mail/message.js';
import { type KnownCopy, type MailAction, planMailPage } from '../../../shared/mail/plan.js';
import { DEFAULT_MAIL_SETTINGS } from '../../../shared/mail/settings.js';
import { message, who } from './fixtures.js';

const index = contactIndexOf([{ id: 'c-anna', emails: [{ address: 'anna@kunde.example' }] }]);
const context = (folder = 'Inbox'): ClassifyContext => ({
  tenantId: 'tenant-1',
  accountId: 'acc-max',
  folder,
  settings: DEFAULT_MAIL_SETTINGS,
  blocklist: new Set(),
  ownAddresses: new Set(['max@makler.example']),
  index,
  now: new Date('2025-03-02T00:00:00Z'),
  applyWindow: false,
});
const fromAnna = (n: number) =>
  message({ id: `msg-${n}`, internetMessageId: `<m${n}@kunde.example>`, subject: `Anfrage ${n}` });
const key = (n: number) => emailKey('tenant-1', `<m${n}@kunde.example>`);
const entry = (m: ReturnType<typeof message>): DeltaEntry => ({ kind: 'message', message: m });

/** What the executor would do with the actions: the CRM and our store after the page. */
function apply(actions: MailAction[], current: Map<string, CrmMail>, known: Map<string, KnownCopy>) {
  for (const action of actions) {
    if (action.kind === 'upsert') current.set(action.key, { key: action.key, ...action.mail });
    if (action.kind === 'remember') known.set(action.messageId, { key: action.key, folder: action.folder });
    if (action.kind === 'forget') known.delete(action.messageId);
  }
}

describe('planMailPage', () => {
  it('upserts linked mail, remembers it, asks for its body, and skips the rest with the reason', () => {
    const actions = planMailPage({
      entries: [
        entry(fromAnna(1)),
        entry(message({ id: 'msg-x', from: who('fremd@x.example') })),
        entry(message({ id: 'msg-p', categories: ['Privat'] })),
        { kind: 'invalid', id: 'msg-bad', reason: 'receivedDateTime: invalid' },
      ],
      context: context(),
      known: new Map(),
      current: new Map(),
    });
    expect(actions.map((a) => a.kind)).toEqual(['upsert', 'remember', 'fetchBody', 'skip', 'skip', 'skip']);
    expect(actions[0]).toMatchObject({
      key: key(1),
      mail: { contactIds: ['c-anna'], mailboxes: [{ accountId: 'acc-max', folder: 'Inbox' }] },
    });
    expect(actions.filter((a) => a.kind === 'skip').map((a) => (a as { reason: string }).reason)).toEqual([
      'noContact',
      'privateCategory',
      'invalid',
    ]);
  });

  it('a removal takes only this mailbox out of the e-mail; the e-mail stays', () => {
    const current = new Map<string, CrmMail>();
    const known = new Map<string, KnownCopy>();
    apply(
      planMailPage({ entries: [entry(fromAnna(1))], context: context(), known, current }),
      current,
      known,
    );
    const other = { accountId: 'acc-eva', folder: 'Inbox' };
    current.set(key(1), {
      ...current.get(key(1))!,
      mailboxes: [other, { accountId: 'acc-max', folder: 'Inbox' }],
    });
    const actions = planMailPage({
      entries: [{ kind: 'removed', id: 'msg-1', reason: 'deleted' }],
      context: context(),
      known,
      current,
    });
    expect(actions).toEqual([
      { kind: 'upsert', key: key(1), mail: expect.objectContaining({ mailboxes: [other] }) },
      { kind: 'forget', messageId: 'msg-1' },
    ]);
  });

  it('a move ends with the new folder listed, whichever folder page comes first', () => {
    for (const order of ['removal first', 'arrival first'] as const) {
      const current = new Map<string, CrmMail>();
      const known = new Map<string, KnownCopy>();
      apply(
        planMailPage({ entries: [entry(fromAnna(1))], context: context('Inbox'), known, current }),
        current,
        known,
      );
      const removal = () =>
        apply(
          planMailPage({
            entries: [{ kind: 'removed', id: 'msg-1', reason: 'deleted' }],
            context: context('Inbox'),
            known,
            current,
          }),
          current,
          known,
        );
      const arrival = () =>
        apply(
          planMailPage({ entries: [entry(fromAnna(1))], context: context('Kunden'), known, current }),
          current,
          known,
        );
      if (order === 'removal first') {
        removal();
        arrival();
      } else {
        arrival();
        removal();
      }
      expect(current.get(key(1))!.mailboxes, order).toEqual([{ accountId: 'acc-max', folder: 'Kunden' }]);
    }
  });

  it('property: replaying a page (duplicate notification, retry after a crash) writes nothing', () => {
    const entryArb: fc.Arbitrary<DeltaEntry> = fc.oneof(
      fc.integer({ min: 1, max: 4 }).map((n) => entry(fromAnna(n))),
      fc
        .integer({ min: 1, max: 4 })
        .map((n): DeltaEntry => ({ kind: 'removed', id: `msg-${n}`, reason: 'deleted' })),
      fc.integer({ min: 1, max: 4 }).map((n) => entry({ ...fromAnna(n), categories: ['Privat'] })),
    );
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 12 }),
        fc.constantFrom('Inbox', 'Kunden'),
        (entries, folder) => {
          const current = new Map<string, CrmMail>();
          const known = new Map<string, KnownCopy>();
          apply(planMailPage({ entries, context: context(folder), known, current }), current, known);
          const again = planMailPage({ entries, context: context(folder), known, current });
          expect(again.filter((a) => a.kind === 'upsert' || a.kind === 'remember')).toEqual([]);
          // Every e-mail the store still remembers lists this mailbox.
          for (const copy of known.values()) {
            expect(current.get(copy.key)?.mailboxes).toContainEqual({
              accountId: 'acc-max',
              folder: copy.folder,
            });
          }
        },
      ),
    );
  });
});
