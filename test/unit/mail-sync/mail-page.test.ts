import { describe, expect, it } from 'vitest';
import type { ClassifyContext } from '../../../shared/mail/classify.js';
import { contactIndexOf } from '../../../shared/mail/link.js';
import { DEFAULT_MAIL_SETTINGS } from '../../../shared/mail/settings.js';
import type { MailDeps } from '../../../shared/mail-sync/deps.js';
import { processMailPage } from '../../../shared/mail-sync/mail-page.js';
import type { ExchangeMail, KnownCopy, MailDeltaPage } from '../../../shared/mail-sync/ports.js';
import { HeldLease } from '../../../shared/sync/lease-guard.js';
import { message, OWNER } from '../mail/fixtures.js';
import { MemoryCrmEmails, MemoryMailStore } from './fakes.js';

/**
 * One delta page carried out (shared/mail-sync/mail-page.ts) over in-memory stores: the order
 * of writes is what makes a crash anywhere harmless.
 */
const clock = { now: () => new Date('2025-03-10T12:00:00Z') };

function setup() {
  const store = new MemoryMailStore();
  const crm = new MemoryCrmEmails();
  const bodies: string[] = [];
  const exchangeMail = {
    contents: async (_mailbox: string, ids: readonly string[]) => {
      bodies.push(...ids);
      return new Map(ids.map((id) => [id, { bodyText: `Body of ${id}`, attachments: [] }]));
    },
  } as unknown as ExchangeMail;
  const deps = { mailStore: store, crmEmails: crm, exchangeMail, clock } as unknown as MailDeps;
  const lease = new HeldLease(
    { renew: async () => true, release: async () => undefined },
    'mail:a1',
    300_000,
    clock,
  );
  const context: ClassifyContext = {
    tenantId: 't1',
    accountId: 'a1',
    folder: 'Inbox',
    settings: DEFAULT_MAIL_SETTINGS,
    blocklist: new Set(),
    ownAddresses: OWNER,
    index: contactIndexOf([{ id: 'c1', emails: [{ address: 'anna@kunde.example' }] }]),
    now: clock.now(),
    applyWindow: true,
  };
  return { store, crm, deps, lease, context, bodies };
}

const page = (): MailDeltaPage => ({ entries: [{ kind: 'message', message: message() }], restarted: false });

describe('processMailPage', () => {
  it('writes the linked mail with its body to the CRM and records the copy after it', async () => {
    const { store, crm, deps, lease, context, bodies } = setup();
    const known = new Map<string, KnownCopy>();
    const outcome = await processMailPage(
      deps,
      lease,
      'max@makler.example',
      page(),
      context,
      known,
      new Set(),
    );
    expect(outcome).toMatchObject({ upserts: 1, remembered: 1 });
    expect(bodies).toEqual(['AAMkADmsg1']);
    const [mail] = crm.mails.values();
    expect(mail).toMatchObject({ bodyText: 'Body of AAMkADmsg1', contactIds: ['c1'], direction: 'incoming' });
    expect(await store.knownCopies('a1')).toEqual(
      new Map([['AAMkADmsg1', { key: mail?.key, folder: 'Inbox' }]]),
    );
  });

  it('replaying a page that was carried out writes nothing', async () => {
    const { crm, deps, lease, context } = setup();
    const known = new Map<string, KnownCopy>();
    await processMailPage(deps, lease, 'max@makler.example', page(), context, known, new Set());
    const puts = crm.puts;
    const again = await processMailPage(deps, lease, 'max@makler.example', page(), context, known, new Set());
    expect(again.upserts).toBe(0);
    expect(crm.puts).toBe(puts);
  });

  it('a crash after our store took the e-mail but before the CRM did: the replay still puts it in the CRM', async () => {
    const { store, crm, deps, lease, context } = setup();
    await processMailPage(deps, lease, 'max@makler.example', page(), context, new Map(), new Set());
    // As if the worker had died right after the store write: the CRM and the known copies lack it.
    crm.mails.clear();
    store.copies.clear();
    await processMailPage(deps, lease, 'max@makler.example', page(), context, new Map(), new Set());
    expect([...crm.mails.values()].map((m) => m.subject)).toEqual(['Besichtigung Freitag']);
    expect((await store.knownCopies('a1')).size).toBe(1);
  });
});
