import { beforeEach, describe, expect, it } from 'vitest';
import { isSyncError } from '../../shared/errors.js';
import { isCalendarMessage } from '../../shared/mail/exclusions.js';
import type { GraphMessage } from '../../shared/mail/message.js';
import type { ExchangeMail, MailDeltaPage } from '../../shared/mail-sync/ports.js';

/**
 * One behaviour contract for every ExchangeMail adapter (STYLE.md item 4, as contacts.contract.ts
 * for contacts): the scenarios the Graph mail adapter's tests assert
 * (test/integration/graph/mail/graph-exchange-mail.test.ts) where they apply to any Exchange,
 * run against the Graph adapter over the Graph emulator and the EWS adapter over the EWS
 * emulator. Delta pages are small (2) so every round pages.
 *
 * What differs by provider and is therefore not part of the contract: ids across a move (Graph
 * immutable ids keep theirs; EWS gives the moved item a new id, ews-identifiers-in-exchange.md),
 * the number of requests, the body preview (EWS before 2013 has none) and subscriptions (EWS
 * accounts are polled).
 */
export interface Incoming {
  subject: string;
  from?: { address: string; name?: string };
  bodyHtml?: string;
  headers?: { name: string; value: string }[];
  categories?: string[];
  attachments?: { name: string; contentType: string; size: number }[];
  meetingRequest?: boolean;
  folder?: string;
}

export interface MailWorld {
  exchange: ExchangeMail;
  /** The account's mailbox and a colleague's mailbox on the same Exchange. */
  owner: string;
  colleague: string;
  reset(): Promise<void> | void;
  /** The directory's SMTP proxy addresses besides the primary one. */
  setAliases(mailbox: string, aliases: string[]): Promise<void> | void;
  /** A user's mail folder below the top of the mailbox or below a well-known folder; answers its id. */
  addFolder(mailbox: string, displayName: string, parent?: string): Promise<string> | string;
  /** Mail from outside; answers the id the adapter reads it under. */
  receive(mailbox: string, message: Incoming): Promise<{ id: string; internetMessageId: string }>;
  /** Sent from Outlook by `from` (delivered to the recipients that are mailboxes here). */
  send(
    from: string,
    message: { to: string[]; cc?: string[]; bcc?: string[]; subject: string; text: string },
  ): Promise<void>;
  /** What an Outlook user does. */
  outlookDelete(mailbox: string, id: string): Promise<void> | void;
  outlookCategorize(mailbox: string, id: string, categories: string[]): Promise<void> | void;
  outlookMove(mailbox: string, id: string, folderId: string): Promise<void> | void;
  expireSyncStates(mailbox: string): Promise<void> | void;
}

async function collect(round: AsyncIterable<MailDeltaPage>): Promise<MailDeltaPage[]> {
  const pages: MailDeltaPage[] = [];
  for await (const page of round) pages.push(page);
  return pages;
}
const messagesOf = (pages: MailDeltaPage[]): GraphMessage[] =>
  pages.flatMap((p) => p.entries.flatMap((e) => (e.kind === 'message' ? [e.message] : [])));
const folderNamed = async (
  w: MailWorld,
  mailbox: string,
  name: string,
  mode: 'inboxAndSent' | 'all' = 'inboxAndSent',
) => {
  const folder = (await w.exchange.syncedFolders(mailbox, mode)).find((f) => f.displayName === name);
  if (!folder) throw new Error(`no folder ${name}`);
  return folder.id;
};
const address = (r: { emailAddress?: { address?: string | null } | null } | null | undefined) =>
  r?.emailAddress?.address?.toLowerCase();

export function mailContract(name: string, world: () => MailWorld): void {
  describe(`ExchangeMail contract: ${name}`, () => {
    let w: MailWorld;
    beforeEach(async () => {
      w = world();
      await w.reset();
    });

    it("reads the owner's SMTP addresses, lower-cased, with the directory's aliases", async () => {
      await w.setAliases(w.owner, ['Max.Makler@Makler-Alias.example', 'mm@makler-alias.example']);
      expect((await w.exchange.ownAddresses(w.owner)).sort()).toEqual(
        ['max.makler@makler-alias.example', 'mm@makler-alias.example', w.owner.toLowerCase()].sort(),
      );
    });

    it('syncs Inbox and Sent Items by default; with all, every mail folder but Deleted Items, Junk Email, Drafts and what is below them', async () => {
      await w.addFolder(w.owner, 'Kunden');
      await w.addFolder(w.owner, 'Alt', 'deleteditems');
      const byDefault = await w.exchange.syncedFolders(w.owner, 'inboxAndSent');
      expect(byDefault.map((f) => f.displayName).sort()).toEqual(['Inbox', 'Sent Items']);
      const all = (await w.exchange.syncedFolders(w.owner, 'all')).map((f) => f.displayName);
      expect(all).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Kunden']));
      for (const never of ['Deleted Items', 'Junk Email', 'Drafts', 'Outbox', 'Alt', 'Contacts'])
        expect(all).not.toContain(never);
    });

    it('pages a first round with the fields the rules read and no body, the cursor on the last page only; then only the changes', async () => {
      const sent = [];
      for (let i = 0; i < 5; i++)
        sent.push(
          await w.receive(w.owner, {
            subject: `Anfrage ${i}`,
            from: { address: 'anna@kunde.example', name: 'Anna Kunde' },
            headers: i === 0 ? [{ name: 'List-Unsubscribe', value: '<mailto:u@news.example>' }] : [],
          }),
        );
      const inbox = await folderNamed(w, w.owner, 'Inbox');
      const pages = await collect(w.exchange.messageDelta(w.owner, inbox, null));
      expect(pages.map((p) => p.entries.length)).toEqual([2, 2, 1]);
      expect(pages.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
      const cursor = pages.at(-1)?.deltaLink;
      expect(cursor).toEqual(expect.any(String));
      const got = messagesOf(pages);
      expect(got.map((m) => m.id).sort()).toEqual(sent.map((s) => s.id).sort());
      const first = got.find((m) => m.subject === 'Anfrage 0');
      expect(first).toMatchObject({ internetMessageId: sent[0]?.internetMessageId, isDraft: false });
      expect(address(first?.from)).toBe('anna@kunde.example');
      expect(first?.from?.emailAddress?.name).toBe('Anna Kunde');
      expect(first?.toRecipients?.map(address)).toEqual([w.owner.toLowerCase()]);
      expect(first?.receivedDateTime).toEqual(expect.any(String));
      expect(first?.conversationId).toEqual(expect.any(String));
      expect(first?.internetMessageHeaders).toEqual(
        expect.arrayContaining([{ name: 'List-Unsubscribe', value: '<mailto:u@news.example>' }]),
      );
      expect(first).not.toHaveProperty('body');

      await w.outlookDelete(w.owner, sent[1]?.id ?? '');
      await w.outlookCategorize(w.owner, sent[2]?.id ?? '', ['Privat']);
      const changes = await collect(w.exchange.messageDelta(w.owner, inbox, cursor ?? null));
      const entries = changes.flatMap((p) => p.entries);
      expect(entries).toEqual(
        expect.arrayContaining([
          { kind: 'removed', id: sent[1]?.id, reason: 'deleted' },
          expect.objectContaining({
            kind: 'message',
            message: expect.objectContaining({ id: sent[2]?.id, categories: ['Privat'] }),
          }),
        ]),
      );
      expect(entries).toHaveLength(2);
      expect(changes.every((p) => !p.restarted)).toBe(true);
      const quiet = await collect(w.exchange.messageDelta(w.owner, inbox, changes.at(-1)?.deltaLink ?? null));
      expect(quiet.flatMap((p) => p.entries)).toEqual([]);
    });

    it('restarts the round from scratch when Exchange forgot the sync state', async () => {
      await w.receive(w.owner, { subject: 'eins' });
      const inbox = await folderNamed(w, w.owner, 'Inbox');
      const pages = await collect(w.exchange.messageDelta(w.owner, inbox, null));
      await w.expireSyncStates(w.owner);
      const again = await collect(w.exchange.messageDelta(w.owner, inbox, pages.at(-1)?.deltaLink ?? null));
      expect(again.every((p) => p.restarted)).toBe(true);
      expect(messagesOf(again).map((m) => m.subject)).toEqual(['eins']);
    });

    it('a move out of the folder is a removal there, and the message appears in the folder it went to', async () => {
      const kunden = await w.addFolder(w.owner, 'Kunden');
      const mail = await w.receive(w.owner, { subject: 'Exposé' });
      const inbox = await folderNamed(w, w.owner, 'Inbox');
      const first = await collect(w.exchange.messageDelta(w.owner, inbox, null));
      await w.outlookMove(w.owner, mail.id, kunden);
      const inboxChanges = (
        await collect(w.exchange.messageDelta(w.owner, inbox, first.at(-1)?.deltaLink ?? null))
      ).flatMap((p) => p.entries);
      expect(inboxChanges).toEqual([{ kind: 'removed', id: mail.id, reason: expect.any(String) }]);
      const target = await folderNamed(w, w.owner, 'Kunden', 'all');
      const there = messagesOf(await collect(w.exchange.messageDelta(w.owner, target, null)));
      expect(there.map((m) => m.internetMessageId)).toEqual([mail.internetMessageId]);
    });

    it('marks meeting requests so the rules keep them out as calendar mail', async () => {
      await w.receive(w.owner, { subject: 'Besichtigung', meetingRequest: true });
      await w.receive(w.owner, { subject: 'Frage' });
      const inbox = await folderNamed(w, w.owner, 'Inbox');
      const got = messagesOf(await collect(w.exchange.messageDelta(w.owner, inbox, null)));
      expect(Object.fromEntries(got.map((m) => [m.subject, isCalendarMessage(m)]))).toEqual({
        Besichtigung: true,
        Frage: false,
      });
    });

    it("mail between two mailboxes: the sender's Sent Items copy with Bcc, the recipient's Inbox copy without, one InternetMessageId and ConversationId", async () => {
      await w.send(w.owner, {
        to: [w.colleague, 'kunde@kunde.example'],
        cc: ['chef@makler.example'],
        bcc: ['privat@kunde.example'],
        subject: 'Angebot',
        text: 'Anbei das Angebot.',
      });
      const sentItems = await folderNamed(w, w.owner, 'Sent Items');
      const [sent] = messagesOf(await collect(w.exchange.messageDelta(w.owner, sentItems, null)));
      const inbox = await folderNamed(w, w.colleague, 'Inbox');
      const [received] = messagesOf(await collect(w.exchange.messageDelta(w.colleague, inbox, null)));
      expect(sent?.internetMessageId).toEqual(expect.any(String));
      expect(received?.internetMessageId).toBe(sent?.internetMessageId);
      expect(received?.conversationId).toBe(sent?.conversationId);
      expect(address(sent?.from)).toBe(w.owner.toLowerCase());
      expect(sent?.toRecipients?.map(address)).toEqual([w.colleague.toLowerCase(), 'kunde@kunde.example']);
      expect(sent?.ccRecipients?.map(address)).toEqual(['chef@makler.example']);
      expect(sent?.bccRecipients?.map(address)).toEqual(['privat@kunde.example']);
      expect(received?.bccRecipients ?? []).toEqual([]);
    });

    it('fetches text bodies and attachment metadata of the asked messages, leaving out one gone meanwhile', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const m = await w.receive(w.owner, {
          subject: `Nr ${i}`,
          bodyHtml: `<p>Hallo <b>Max</b> ${i}</p>`,
          ...(i === 3
            ? { attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 }] }
            : {}),
        });
        ids.push(m.id);
      }
      await w.outlookDelete(w.owner, ids[5] ?? '');
      const contents = await w.exchange.contents(w.owner, ids, new Set([ids[3] ?? '']));
      expect(contents.size).toBe(24);
      expect(contents.has(ids[5] ?? '')).toBe(false);
      expect(contents.get(ids[0] ?? '')).toEqual({ bodyText: 'Hallo Max 0', attachments: [] });
      expect(contents.get(ids[3] ?? '')?.attachments).toEqual([
        { name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 },
      ]);
    });

    it('reads messages again by id with the fields delta gives; a gone one is absent', async () => {
      const a = await w.receive(w.owner, { subject: 'A', categories: ['Kunde'] });
      const b = await w.receive(w.owner, { subject: 'B' });
      await w.outlookDelete(w.owner, b.id);
      const found = await w.exchange.messages(w.owner, [a.id, b.id]);
      expect([...found.keys()]).toEqual([a.id]);
      expect(found.get(a.id)).toMatchObject({
        subject: 'A',
        categories: ['Kunde'],
        internetMessageId: a.internetMessageId,
      });
      expect(found.get(a.id)).not.toHaveProperty('body');
    });

    it('a folder that does not exist fails the round with a SyncError', async () => {
      const error = await collect(w.exchange.messageDelta(w.owner, 'AAMkAGI2TG93AAA=', null)).then(
        () => new Error('expected a failure'),
        (e: unknown) => e,
      );
      expect(isSyncError(error)).toBe(true);
    });
  });
}
