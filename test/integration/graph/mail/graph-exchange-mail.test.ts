import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../../local/emulators/graph/index.js';
import { GraphExchangeMail } from '../../../../shared/adapters/graph/mail/graph-exchange-mail.js';
import type { MailDeltaPage } from '../../../../shared/mail-sync/ports.js';
import { clientFor } from '../support.js';
import { emulatorAdmin, person, receiveMail } from './support.js';

/**
 * The Graph mail adapter against the Graph emulator (whose mail model follows "message: delta",
 * "Get incremental changes to messages in a folder", "mailFolder: delta", "JSON batching",
 * "List attachments" and "Obtain immutable identifiers for Outlook resources").
 */

let emulator: RunningGraphEmulator;
let mail: GraphExchangeMail;
const max = 'max@makler.example';

async function collect(pages: AsyncIterable<MailDeltaPage>): Promise<MailDeltaPage[]> {
  const all: MailDeltaPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}
const messages = (pages: MailDeltaPage[]) =>
  pages.flatMap((p) => p.entries.flatMap((e) => (e.kind === 'message' ? [e.message] : [])));

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir'), port: 0 });
  mail = new GraphExchangeMail({ client: clientFor(emulator), pageSize: 2 });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail: max, displayName: 'Max Makler' });
});

describe('the owner and the folders', () => {
  it("reads the owner's SMTP proxyAddresses, lower-cased, without X500 entries", async () => {
    const put = await emulatorAdmin(emulator, 'PUT', `/users/${max}/proxyAddresses`, {
      proxyAddresses: [`SMTP:${max}`, 'smtp:Max.Makler@Makler-Alias.example', 'X500:/o=Contoso/cn=max'],
    });
    expect(put.status).toBe(204);
    expect((await mail.ownAddresses(max)).sort()).toEqual(['max.makler@makler-alias.example', max]);
  });

  it('syncs Inbox and Sent Items by default, and every folder but Deleted Items, Junk, Drafts, Outbox and below them with all', async () => {
    const client = clientFor(emulator);
    const kunden = await client.api(`/users/${max}/mailFolders`).post({ displayName: 'Kunden' });
    await client.api(`/users/${max}/mailFolders/${kunden.id}/childFolders`).post({ displayName: 'Meier' });
    await client.api(`/users/${max}/mailFolders/deleteditems/childFolders`).post({ displayName: 'Alt' });

    const byDefault = await mail.syncedFolders(max, 'inboxAndSent');
    expect(byDefault.map((f) => f.displayName).sort()).toEqual(['Inbox', 'Sent Items']);

    const all = (await mail.syncedFolders(max, 'all')).map((f) => f.displayName).sort();
    expect(all).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Kunden', 'Meier', 'Archive']));
    for (const never of ['Deleted Items', 'Junk Email', 'Drafts', 'Outbox', 'Alt'])
      expect(all).not.toContain(never);
    expect(emulator.admin.requests().byRoute).toMatchObject({
      'GET /users/{m}/mailFolders/delta': expect.any(Number),
    });
  });
});

describe('messages/delta per folder', () => {
  it('pages a round by maxpagesize with the selected fields and immutable ids, then returns only the changes', async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) {
      sent.push(
        await receiveMail(emulator, max, {
          subject: `Anfrage ${i}`,
          internetMessageHeaders:
            i === 0 ? [{ name: 'List-Unsubscribe', value: '<mailto:u@news.example>' }] : [],
        }),
      );
    }
    const [inbox] = await mail
      .syncedFolders(max, 'inboxAndSent')
      .then((fs) => fs.filter((f) => f.displayName === 'Inbox'));
    emulator.admin.clearRequests();
    const pages = await collect(mail.messageDelta(max, inbox!.id, null));
    expect(pages.map((p) => p.entries.length)).toEqual([2, 2, 1]);
    expect(pages.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
    const deltaLink = pages.at(-1)?.deltaLink;
    expect(deltaLink).toMatch(/deltatoken=/);
    const got = messages(pages);
    expect(got.map((m) => m.id).sort()).toEqual(sent.map((s) => s.immutableId).sort());
    const first = got.find((m) => m.subject === 'Anfrage 0');
    expect(first).toMatchObject({
      internetMessageId: sent[0]?.internetMessageId,
      from: person('anna@kunde.example', 'Anna Kunde'),
      toRecipients: [person(max, 'Max Makler')],
      isDraft: false,
      receivedDateTime: expect.any(String),
    });
    expect(first?.internetMessageHeaders).toEqual(
      expect.arrayContaining([{ name: 'List-Unsubscribe', value: '<mailto:u@news.example>' }]),
    );
    // $select keeps the body out of the round: it is fetched for linked mail only.
    expect(first).not.toHaveProperty('body');
    expect(emulator.admin.requests().byRoute).toEqual({ 'GET /users/{m}/mailFolders/{f}/messages/delta': 3 });

    const client = clientFor(emulator);
    await client.api(`/users/${max}/messages/${sent[1]?.immutableId}`).delete();
    await client.api(`/users/${max}/messages/${sent[2]?.immutableId}`).patch({ categories: ['Privat'] });
    const changes = await collect(mail.messageDelta(max, inbox!.id, deltaLink ?? null));
    const entries = changes.flatMap((p) => p.entries);
    expect(entries).toEqual(
      expect.arrayContaining([
        { kind: 'removed', id: sent[1]?.immutableId, reason: 'deleted' },
        expect.objectContaining({
          kind: 'message',
          message: expect.objectContaining({ categories: ['Privat'] }),
        }),
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(changes.every((p) => !p.restarted)).toBe(true);
  });

  it('restarts the round from scratch when the sync state expired (410)', async () => {
    await receiveMail(emulator, max, { subject: 'eins' });
    const pages = await collect(mail.messageDelta(max, 'inbox', null));
    await emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox: max });
    const again = await collect(mail.messageDelta(max, 'inbox', pages.at(-1)?.deltaLink ?? null));
    expect(again.every((p) => p.restarted)).toBe(true);
    expect(messages(again).map((m) => m.subject)).toEqual(['eins']);
  });
});

describe('bodies and attachments of linked mail', () => {
  it('fetches text bodies through $batch of 20, attachments as metadata, and leaves out a message gone meanwhile', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const received = await receiveMail(emulator, max, {
        subject: `Nr ${i}`,
        body: { contentType: 'html', content: `<p>Hallo <b>Max</b> ${i}</p>` },
        ...(i === 3
          ? { attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 }] }
          : {}),
      });
      ids.push(received.immutableId);
    }
    await clientFor(emulator).api(`/users/${max}/messages/${ids[5]}`).delete();
    emulator.admin.clearRequests();
    const contents = await mail.contents(max, ids, new Set([ids[3] as string]));
    expect(emulator.admin.requests().byRoute['POST /$batch']).toBe(2);
    expect(contents.size).toBe(24);
    expect(contents.has(ids[5] as string)).toBe(false);
    expect(contents.get(ids[0] as string)).toEqual({ bodyText: 'Hallo Max 0', attachments: [] });
    expect(contents.get(ids[3] as string)?.attachments).toEqual([
      { name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 },
    ]);
  });
});
