import type { ExchangeContact } from '../../shared/contact/exchange-contact.js';
import { EXCHANGE_LIMITS } from '../../shared/contact/limits.js';
import { SyncError } from '../../shared/errors.js';
import type { ContactFolder } from '../../shared/ports.js';
import { copy } from './etags.js';

/**
 * One mailbox of the Exchange fake, with the Graph emulator's bookkeeping: every write gives
 * the contact a new changeKey and the mailbox's next sequence number; a delete or a move leaves
 * a tombstone in the folder it left; a delta link remembers only (generation, folder, sequence).
 * A move keeps the id with immutable ids (`Prefer: IdType="ImmutableId"`, which the Graph adapter
 * sends) and gives the item a new id without them: Exchange copies the item into the target
 * folder and removes the original, extended properties (the ownership marker) included
 * (learn.microsoft.com/graph/outlook-immutable-id: "an item's ID changes when it is moved").
 */
export interface StoredContact {
  id: string;
  folderId: string;
  seq: number;
  changeKey: string;
  lastModifiedDateTime: string;
  /** The contact as a Graph body (what PATCH and POST bodies are merged into). */
  props: Record<string, unknown>;
  /** The ownership marker (a single-value extended property in Graph). */
  linkId: string | null;
}

export interface Tombstone {
  id: string;
  folderId: string;
  seq: number;
}

let counter = 0;
/** Opaque, never repeated ids, like Graph's. */
export function opaqueId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter.toString(36).padStart(6, '0')}`;
}

export class FakeMailbox {
  readonly defaultFolderId = opaqueId('AAMkFolder-');
  readonly folders = new Map<string, ContactFolder>([
    [this.defaultFolderId, { id: this.defaultFolderId, displayName: 'Contacts' }],
  ]);
  readonly contacts = new Map<string, StoredContact>();
  readonly tombstones: Tombstone[] = [];
  seq = 0;
  /** Bumped to expire every delta link of the mailbox (Graph's 410 SyncStateNotFound). */
  generation = 1;

  /** False: a move gives the contact a new id (a client that does not ask for immutable ids). */
  immutableIds = true;

  constructor(readonly id: string) {}

  folder(id: string): ContactFolder {
    const folder = this.folders.get(id);
    if (!folder)
      throw new SyncError('notFound', 'ErrorItemNotFound', `folder ${id} not found`, { status: 404 });
    return folder;
  }

  contact(id: string): StoredContact {
    const contact = this.contacts.get(id);
    if (!contact)
      throw new SyncError('notFound', 'ErrorItemNotFound', `contact ${id} not found`, { status: 404 });
    return contact;
  }

  /** Applies a Graph body (create when `existing` is null); Exchange's limits are checked first. */
  write(
    existing: StoredContact | null,
    folderId: string,
    body: Record<string, unknown>,
    at: string,
  ): StoredContact {
    const props = { ...(existing?.props ?? {}), ...copy(body) };
    checkLimits(props);
    const contact: StoredContact = existing ?? {
      id: opaqueId('AAMkContact-'),
      folderId,
      seq: 0,
      changeKey: '',
      lastModifiedDateTime: at,
      props: {},
      linkId: null,
    };
    contact.props = props;
    contact.seq = ++this.seq;
    contact.changeKey = opaqueId('CK-');
    contact.lastModifiedDateTime = at;
    this.contacts.set(contact.id, contact);
    return contact;
  }

  remove(contact: StoredContact): void {
    this.contacts.delete(contact.id);
    this.tombstones.push({ id: contact.id, folderId: contact.folderId, seq: ++this.seq });
  }

  /** Moves the contact; returns it under its id after the move (a new one without immutable ids). */
  move(contact: StoredContact, folderId: string, at: string): StoredContact {
    this.folder(folderId);
    this.tombstones.push({ id: contact.id, folderId: contact.folderId, seq: ++this.seq });
    if (!this.immutableIds) {
      this.contacts.delete(contact.id);
      contact.id = opaqueId('AAMkContact-');
      this.contacts.set(contact.id, contact);
    }
    contact.folderId = folderId;
    contact.seq = this.seq;
    contact.changeKey = opaqueId('CK-');
    contact.lastModifiedDateTime = at;
    return contact;
  }

  /** Removes a folder and everything in it (Outlook moves them to Deleted Items). */
  removeFolder(folderId: string): void {
    this.folder(folderId);
    for (const contact of [...this.contacts.values()])
      if (contact.folderId === folderId) this.remove(contact);
    this.folders.delete(folderId);
  }

  /** The contact as Graph serves it with the sync's `$select` (a deep copy). */
  view(contact: StoredContact): ExchangeContact {
    const given = typeof contact.props['givenName'] === 'string' ? contact.props['givenName'] : '';
    const surname = typeof contact.props['surname'] === 'string' ? contact.props['surname'] : '';
    return copy({
      ...contact.props,
      id: contact.id,
      changeKey: contact.changeKey,
      lastModifiedDateTime: contact.lastModifiedDateTime,
      parentFolderId: contact.folderId,
      displayName: `${given} ${surname}`.trim(),
    }) as ExchangeContact;
  }
}

/** Exchange answers 400 to a 4th e-mail address, a 3rd business or a 3rd home phone. */
function checkLimits(props: Record<string, unknown>): void {
  const size = (name: string) => (Array.isArray(props[name]) ? (props[name] as unknown[]).length : 0);
  const over: [string, number, number][] = [
    ['emailAddresses', size('emailAddresses'), EXCHANGE_LIMITS.emails],
    ['businessPhones', size('businessPhones'), EXCHANGE_LIMITS.businessPhones],
    ['homePhones', size('homePhones'), EXCHANGE_LIMITS.homePhones],
  ];
  for (const [name, count, limit] of over) {
    if (count > limit)
      throw new SyncError(
        'invalid',
        'ErrorInvalidRequest',
        `${name} holds ${count} values, at most ${limit}`,
        {
          status: 400,
        },
      );
  }
}
