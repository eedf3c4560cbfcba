import { beforeEach, describe, expect, it } from 'vitest';
import type { ExchangeContact, ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import { EMPTY_FIELDS } from '../../../shared/contact/index.js';
import { isSyncError } from '../../../shared/errors.js';
import type { DeltaPage, ExchangeContacts } from '../../../shared/ports.js';

/**
 * One contract for every ExchangeContacts adapter (STYLE.md item 4, after vdirsyncer's
 * StorageTests): the scenarios the Graph adapter's integration tests assert
 * (graph-exchange-contacts.test.ts, graph-delta.test.ts) where they apply to any Exchange, run
 * against the Graph emulator and the EWS emulator alike. Delta pages are small (2) so every
 * round pages.
 */
export interface ContractWorld {
  exchange: ExchangeContacts;
  mailbox: string;
  reset(): Promise<void> | void;
  /** What an Outlook user does. */
  outlookCreate(givenName: string, email: string): Promise<string> | string;
  outlookEditJobTitle(id: string, jobTitle: string): Promise<void> | void;
  outlookDelete(id: string): Promise<void> | void;
  /** How many contacts the mailbox's Deleted Items holds (what the user could restore). */
  deletedItems(): Promise<number> | number;
  /** Exchange forgets the sync states (Graph: 410 SyncStateNotFound; EWS: ErrorInvalidSyncStateData). */
  expireSyncStates(): Promise<void> | void;
}

export function fields(overrides: Partial<ExchangeFields> = {}): ExchangeFields {
  return { ...EMPTY_FIELDS, givenName: 'Anna', surname: 'Schmidt', ...overrides };
}

async function collect(round: AsyncIterable<DeltaPage>): Promise<DeltaPage[]> {
  const pages: DeltaPage[] = [];
  for await (const page of round) pages.push(page);
  return pages;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
}

export function contactsContract(name: string, world: () => ContractWorld): void {
  describe(`ExchangeContacts contract: ${name}`, () => {
    let w: ContractWorld;
    let folderId: string;
    beforeEach(async () => {
      w = world();
      await w.reset();
      folderId = await w.exchange.defaultFolderId(w.mailbox);
    });

    it('lists the default Contacts folder among the contact folders', async () => {
      const folders = await w.exchange.listFolders(w.mailbox);
      expect(folders.map((f) => f.id)).toContain(folderId);
    });

    it('creates with the marker, reads it back, finds it by link id', async () => {
      const created = await w.exchange.create(
        w.mailbox,
        folderId,
        fields({
          title: 'Dr.',
          jobTitle: 'Maklerin',
          emailAddresses: ['anna@example.de', 'a.schmidt@example.de'],
          businessPhones: ['04211234567', '+4930123456'],
          homePhones: ['+4940123456'],
          mobilePhone: '+491701234567',
          businessHomePage: 'https://makler.example.de',
          businessAddress: {
            street: 'Hauptstr. 1',
            city: 'Bremen',
            postalCode: '01067',
            countryOrRegion: 'DE',
          },
          birthday: '1980-05-01',
        }),
        'link-1',
      );
      expect(created.changeKey).toEqual(expect.any(String));
      const read = await w.exchange.get(w.mailbox, created.id);
      expect(read).toMatchObject({
        id: created.id,
        changeKey: created.changeKey,
        title: 'Dr.',
        givenName: 'Anna',
        surname: 'Schmidt',
        jobTitle: 'Maklerin',
        businessPhones: ['04211234567', '+4930123456'],
        homePhones: ['+4940123456'],
        mobilePhone: '+491701234567',
        businessHomePage: 'https://makler.example.de',
        birthday: '1980-05-01',
        parentFolderId: folderId,
      });
      expect(read?.emailAddresses?.map((e) => e.address)).toEqual([
        'anna@example.de',
        'a.schmidt@example.de',
      ]);
      expect(read?.businessAddress).toMatchObject({
        street: 'Hauptstr. 1',
        postalCode: '01067',
        city: 'Bremen',
      });
      expect((await w.exchange.findByLinkId(w.mailbox, 'link-1'))?.id).toBe(created.id);
      expect(await w.exchange.findByLinkId(w.mailbox, 'link-unknown')).toBeNull();
    });

    it('updates exactly the given fields with the changeKey; a stale changeKey is a conflict', async () => {
      const created = await w.exchange.create(
        w.mailbox,
        folderId,
        fields({ companyName: 'Alt GmbH' }),
        'link-2',
      );
      const updated = await w.exchange.update(
        w.mailbox,
        created.id,
        { jobTitle: 'Maklerin' },
        created.changeKey ?? undefined,
        created,
      );
      expect(updated).toMatchObject({ jobTitle: 'Maklerin', givenName: 'Anna', companyName: 'Alt GmbH' });
      expect(updated.changeKey).not.toBe(created.changeKey);
      const stale = await rejection(
        w.exchange.update(w.mailbox, created.id, { jobTitle: 'x' }, created.changeKey ?? undefined),
      );
      expect(isSyncError(stale, 'conflict')).toBe(true);
      expect((await w.exchange.get(w.mailbox, created.id))?.jobTitle).toBe('Maklerin');
    });

    it('removes an e-mail from the middle and clears phones and an address', async () => {
      const created = await w.exchange.create(
        w.mailbox,
        folderId,
        fields({
          emailAddresses: ['a@example.de', 'b@example.de', 'c@example.de'],
          mobilePhone: '+491701234567',
          homeAddress: { street: 'Weg 2', city: 'Kiel' },
        }),
        'link-3',
      );
      const updated = await w.exchange.update(
        w.mailbox,
        created.id,
        { emailAddresses: ['a@example.de', 'c@example.de'], mobilePhone: null, homeAddress: null },
        created.changeKey ?? undefined,
        created,
      );
      expect(updated.emailAddresses?.map((e) => e.address)).toEqual(['a@example.de', 'c@example.de']);
      expect(updated.mobilePhone ?? null).toBeNull();
      // Graph answers a cleared address as all-null parts, EWS leaves it out: both are empty.
      expect(Object.values(updated.homeAddress ?? {}).filter(Boolean)).toEqual([]);
    });

    it('deletes; deleting again is no error; a conditional delete of a changed contact is a conflict', async () => {
      const a = await w.exchange.create(w.mailbox, folderId, fields(), 'link-4');
      await w.exchange.delete(w.mailbox, a.id);
      expect(await w.exchange.get(w.mailbox, a.id)).toBeNull();
      await w.exchange.delete(w.mailbox, a.id);
      const b = await w.exchange.create(w.mailbox, folderId, fields({ givenName: 'Bea' }), 'link-5');
      await w.outlookEditJobTitle(b.id, 'von Outlook');
      const refused = await rejection(w.exchange.delete(w.mailbox, b.id, b.changeKey ?? undefined));
      expect(isSyncError(refused, 'conflict')).toBe(true);
      expect((await w.exchange.get(w.mailbox, b.id))?.jobTitle).toBe('von Outlook');
    });

    // The sync's removal of its own surplus copy (restored-original.ts): Graph permanentDelete
    // (learn.microsoft.com/graph/api/contact-permanentdelete), EWS DeleteItem HardDelete.
    it('deletes permanently past Deleted Items, a plain delete into it; a changed contact is a conflict either way', async () => {
      const before = await w.deletedItems();
      const a = await w.exchange.create(w.mailbox, folderId, fields(), 'link-p1');
      await w.exchange.delete(w.mailbox, a.id, a.changeKey ?? undefined, { permanent: true });
      expect(await w.exchange.get(w.mailbox, a.id)).toBeNull();
      expect(await w.deletedItems()).toBe(before);
      await w.exchange.delete(w.mailbox, a.id, undefined, { permanent: true }); // gone: no error
      const b = await w.exchange.create(w.mailbox, folderId, fields({ givenName: 'Bea' }), 'link-p2');
      await w.exchange.delete(w.mailbox, b.id);
      expect(await w.deletedItems()).toBe(before + 1);
      const c = await w.exchange.create(w.mailbox, folderId, fields({ givenName: 'Cem' }), 'link-p3');
      await w.outlookEditJobTitle(c.id, 'von Outlook');
      const refused = await rejection(
        w.exchange.delete(w.mailbox, c.id, c.changeKey ?? undefined, { permanent: true }),
      );
      expect(isSyncError(refused, 'conflict')).toBe(true);
      expect((await w.exchange.get(w.mailbox, c.id))?.jobTitle).toBe('von Outlook');
    });

    it('pages a full round with the cursor on the last page only, then reports edits, deletes and our own writes', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await w.outlookCreate(`P${i}`, `p${i}@example.de`));
      const full = await collect(w.exchange.delta(w.mailbox, folderId, null));
      expect(full.length).toBeGreaterThan(1);
      expect(full.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
      const cursor = full.at(-1)?.deltaLink;
      expect(cursor).toEqual(expect.any(String));
      expect(new Set(full.flatMap((p) => p.upserts.map((c) => c.id)))).toEqual(new Set(ids));

      await w.outlookEditJobTitle(ids[0] ?? '', 'Neu');
      await w.outlookDelete(ids[1] ?? '');
      const ours = await w.exchange.create(w.mailbox, folderId, fields({ givenName: 'Echo' }), 'link-6');
      const changes = await collect(w.exchange.delta(w.mailbox, folderId, cursor ?? null));
      const upserts = new Map(changes.flatMap((p) => p.upserts).map((c: ExchangeContact) => [c.id, c]));
      expect(upserts.get(ids[0] ?? '')?.jobTitle).toBe('Neu');
      // Our own write comes back, with the changeKey we got: the engine recognises the echo by it.
      expect(upserts.get(ours.id)?.changeKey).toBe(ours.changeKey);
      expect(changes.flatMap((p) => p.removedIds)).toContain(ids[1]);
      expect(changes.every((p) => !p.restarted)).toBe(true);
    });

    it('restarts with a full round when Exchange has forgotten the sync state', async () => {
      const id = await w.outlookCreate('Kept', 'kept@example.de');
      const first = await collect(w.exchange.delta(w.mailbox, folderId, null));
      await w.expireSyncStates();
      const again = await collect(w.exchange.delta(w.mailbox, folderId, first.at(-1)?.deltaLink ?? null));
      expect(again.every((p) => p.restarted)).toBe(true);
      expect(again.flatMap((p) => p.upserts.map((c) => c.id))).toContain(id);
      expect(again.at(-1)?.deltaLink).toEqual(expect.any(String));
    });
  });
}
