import type { OnPremisesConnection } from '../../accounts/on-premises.js';
import type { ExchangeContact, ExchangeFields } from '../../contact/exchange-contact.js';
import { isSyncError, SyncError } from '../../errors.js';
import type { ContactFolder, ExchangeContacts, ExchangeDeleteOptions, SecretStore } from '../../ports.js';
import { defaultContactsFolderId, listContactFolders } from './contact-folders.js';
import { fromEwsContact, ITEM_SHAPE, toEwsContact, toEwsUpdates } from './contact-mapping.js';
import { type EwsDeltaPage, syncFolderItems } from './contact-sync.js';
import { LINK_PROPERTY } from './ews-schema.js';
import { type EwsCredentials, EwsTransport } from './ews-transport.js';
import { EwsTransports } from './mail/transports.js';
import { readMailboxTimeZone } from './mailbox-time-zone.js';
import { callEws, orThrow, type ResponseMessage } from './soap-client.js';
import { UncoveredIds, type UncoveredRound } from './uncovered-ids.js';
import { attributes, child, esc } from './xml.js';

/**
 * The ExchangeContacts port over Exchange Web Services, for mailboxes on the customer's own
 * Exchange server. One transport per mailbox (two kept-alive, NTLM-authenticated connections:
 * at most two requests in flight, EWS's concurrency budget being shared with the user's
 * Outlook). Every failure is a SyncError (classify-ews-error.ts); ErrorServerBusy is an
 * EwsThrottledError carrying BackOffMilliseconds, for the caller to reschedule the account.
 *
 * Subscriptions do not exist for EWS here: the account is polled (issue 18 item 2), so the
 * adapter has no `subscriptions` and the engine makes, renews and reconciles none for it
 * (ports.ts `ExchangeContacts.subscriptions`). Every SyncFolderItems page carries its SyncState
 * as `resumeCursor`, so a cut-off first sync resumes where it stopped.
 *
 * What the port could still change:
 * - `GraphSubscription`/"deltaLink" are Graph words for a provider cursor: a `cursor` string
 *   per folder is what both need;
 * - `ExchangeContact` is Graph's contact type (emailAddresses with `name`, `@odata` keys):
 *   an adapter-neutral contact type (id, changeKey, folder, modified, fields) would fit both.
 */
export interface EwsConnection {
  url: string;
  credentials: EwsCredentials;
  ca?: string;
  scheme?: 'ntlm' | 'basic'; // the account's onPremises.auth: EwsTransport skips its probe
}

export interface EwsExchangeContactsOptions {
  /** The server, login and CA of a mailbox (from the account; the password from Key Vault). */
  connect(mailbox: string): Promise<EwsConnection> | EwsConnection;
  /** GetItem batch size. Default 50. */
  readBatch?: number;
  /** SyncFolderItems MaxChangesReturned. Default 512 (Exchange's maximum). */
  pageSize?: number;
  timeoutMs?: number;
  /**
   * Transports shared with the mailbox's other EWS adapters (mail/transports.ts EwsTransports),
   * so contacts and mail draw on the same two connections: then `connect` is not used, and the
   * adapter neither builds nor closes a transport of its own.
   */
  transports?: { get(mailbox: string): Promise<EwsTransport> };
}

const GONE = new Set(['ErrorItemNotFound']);

export class EwsExchangeContacts implements ExchangeContacts {
  /** Polled, never pushed (issue 18 item 2): no subscriptions. */
  readonly subscriptions: undefined = undefined;
  /** The mailbox's transports: shared ones (options.transports) or a pool of its own. */
  private readonly pool: { get(mailbox: string): Promise<EwsTransport> };
  private readonly ownPool: EwsMailboxTransports | null;
  private readonly contactFolders = new Map<string, Set<string>>();
  /** The mailbox's time zone for birthdays (mailbox-time-zone.ts), read once per mailbox per 6 h. */
  private readonly zones = new Map<string, { zone: Promise<string>; until: number }>();
  private readonly readBatch: number;
  private readonly pageSize: number;
  /** Contacts a folder's stored SyncState may not know (uncovered-ids.ts): checked at a round's end. */
  private readonly uncovered = new UncoveredIds();

  constructor(options: EwsExchangeContactsOptions) {
    this.readBatch = options.readBatch ?? 50;
    this.pageSize = options.pageSize ?? 512;
    this.ownPool = options.transports ? null : new EwsMailboxTransports(options.connect, options.timeoutMs);
    this.pool = options.transports ?? (this.ownPool as EwsMailboxTransports);
  }

  close(): void {
    // Shared transports belong to whoever shares them (runtime.ts closes them).
    this.ownPool?.close();
  }

  async listFolders(mailbox: string): Promise<ContactFolder[]> {
    const folders = await listContactFolders(await this.transport(mailbox));
    this.contactFolders.set(mailbox, new Set(folders.map((f) => f.id)));
    return folders;
  }

  async defaultFolderId(mailbox: string): Promise<string> {
    return defaultContactsFolderId(await this.transport(mailbox));
  }

  async *delta(mailbox: string, folderId: string, deltaLink: string | null): AsyncGenerator<EwsDeltaPage> {
    const transport = await this.transport(mailbox);
    const round = this.uncovered.round(mailbox, folderId, deltaLink);
    for await (const page of syncFolderItems(
      transport,
      folderId,
      deltaLink,
      (ids) => this.readMany(mailbox, ids),
      this.pageSize,
    )) {
      round.page(
        page.resumeCursor,
        page.upserts.map((c) => c.id),
        page.removedIds,
      );
      if (page.deltaLink === undefined) {
        yield page;
        continue;
      }
      // The round's last page also reports the contacts the engine may link that its start state
      // never listed and that are gone: Exchange reports neither their Create nor their Delete.
      const gone = await this.goneUncovered(mailbox, round);
      yield gone.length === 0 ? page : { ...page, removedIds: [...page.removedIds, ...gone] };
    }
  }

  /** GetItem (in read batches) on the remembered contacts the round did not list: the gone ones. */
  private async goneUncovered(mailbox: string, round: UncoveredRound): Promise<string[]> {
    const unlisted = round.unlisted();
    if (unlisted.length === 0) return [];
    // Found in any contact folder is present (an EWS move gives a new id, so it is this folder).
    const found = new Set((await this.readMany(mailbox, unlisted)).map((c) => c.id));
    return round.settle(unlisted, found);
  }

  async get(mailbox: string, id: string): Promise<ExchangeContact | null> {
    const [contact] = await this.readMany(mailbox, [id]);
    return contact ?? null;
  }

  async create(
    mailbox: string,
    folderId: string,
    fields: ExchangeFields,
    linkId: string,
  ): Promise<ExchangeContact> {
    const transport = await this.transport(mailbox);
    let messages: ResponseMessage[];
    try {
      messages = await callEws(
        transport,
        'CreateItem',
        `<m:CreateItem><m:SavedItemFolderId><t:FolderId Id="${esc(folderId)}"/></m:SavedItemFolderId><m:Items>${toEwsContact(fields, linkId, fields.birthday ? await this.zone(mailbox) : undefined)}</m:Items></m:CreateItem>`,
      );
    } catch (error) {
      // No answer (a timeout, a cut connection): Exchange may have stored it. Look before anyone retries.
      if (isSyncError(error, 'transient')) {
        const found = await this.findByLinkId(mailbox, linkId);
        if (found) {
          this.uncovered.created(mailbox, folderId, found.id);
          return found;
        }
      }
      throw error;
    }
    const id = itemIdOf(orThrow('CreateItem', messages[0]));
    this.uncovered.created(mailbox, folderId, id);
    return this.mustRead(mailbox, id, 'CreateItem');
  }

  async update(
    mailbox: string,
    id: string,
    fields: Partial<ExchangeFields>,
    changeKey?: string,
    current?: ExchangeContact,
  ): Promise<ExchangeContact> {
    const updates = toEwsUpdates(fields, current, fields.birthday ? await this.zone(mailbox) : undefined);
    if (updates.length > 0) {
      // NeverOverwrite with the ChangeKey we read: an Outlook edit since is a conflict, never lost.
      const mode = changeKey === undefined ? 'AlwaysOverwrite' : 'NeverOverwrite';
      const ref: Record<string, string> =
        changeKey === undefined ? { Id: id } : { Id: id, ChangeKey: changeKey };
      const [message] = await callEws(
        await this.transport(mailbox),
        'UpdateItem',
        `<m:UpdateItem ConflictResolution="${mode}"><m:ItemChanges><t:ItemChange><t:ItemId${attributes(ref)}/><t:Updates>${updates.join('')}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`,
      );
      orThrow('UpdateItem', message);
    }
    return this.mustRead(mailbox, id, 'UpdateItem');
  }

  /**
   * Into Deleted Items (MoveToDeletedItems), as Outlook and Graph's DELETE do, so the user can
   * restore it; `permanent` deletes it for good, as Graph's permanentDelete does (DeleteType
   * HardDelete: "An item is permanently removed from the store", DisposalType, learn.microsoft.com
   * exchange-server-2010 bb402085; DeleteItem operation, .../web-service-reference/deleteitem-operation). With `changeKey`, the contact is read first and a changed one is a conflict:
   * EWS's DeleteItem takes no ChangeKey check, so this is read-then-delete, which leaves a
   * window of one round trip in which an Outlook edit can still be deleted.
   */
  async delete(
    mailbox: string,
    id: string,
    changeKey?: string,
    options?: ExchangeDeleteOptions,
  ): Promise<void> {
    const type = options?.permanent === true ? 'HardDelete' : 'MoveToDeletedItems';
    if (changeKey !== undefined) {
      const current = await this.get(mailbox, id);
      if (current === null) return;
      if (current.changeKey !== changeKey)
        throw new SyncError(
          'conflict',
          'ErrorIrresolvableConflict',
          'DeleteItem: the contact changed since it was read.',
        );
    }
    const [message] = await callEws(
      await this.transport(mailbox),
      'DeleteItem',
      `<m:DeleteItem DeleteType="${type}"><m:ItemIds><t:ItemId Id="${esc(id)}"/></m:ItemIds></m:DeleteItem>`,
    );
    if (!(message && !message.ok && GONE.has(message.code))) orThrow('DeleteItem', message);
    this.uncovered.deleted(mailbox, id);
  }

  async findByLinkId(mailbox: string, linkId: string): Promise<ExchangeContact | null> {
    const folders = await this.listFolders(mailbox);
    if (folders.length === 0) return null;
    const messages = await callEws(
      await this.transport(mailbox),
      'FindItem',
      `<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>` +
        `<m:Restriction><t:IsEqualTo><t:ExtendedFieldURI${attributes(LINK_PROPERTY)}/><t:FieldURIOrConstant><t:Constant Value="${esc(linkId)}"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>` +
        `<m:ParentFolderIds>${folders.map((f) => `<t:FolderId Id="${esc(f.id)}"/>`).join('')}</m:ParentFolderIds></m:FindItem>`,
    );
    for (const message of messages) {
      const item = child(child(orThrow('FindItem', message), 'RootFolder'), 'Items')?.children[0];
      const id = child(item, 'ItemId')?.attrs['Id'];
      if (id) return this.get(mailbox, id);
    }
    return null;
  }

  /** GetItem in batches; gone items and items outside the contact folders (Deleted Items) are left out. */
  private async readMany(mailbox: string, ids: string[]): Promise<ExchangeContact[]> {
    const out: ExchangeContact[] = [];
    const transport = await this.transport(mailbox);
    for (let i = 0; i < ids.length; i += this.readBatch) {
      const batch = ids.slice(i, i + this.readBatch);
      const messages = await callEws(
        transport,
        'GetItem',
        `<m:GetItem>${ITEM_SHAPE}<m:ItemIds>${batch.map((id) => `<t:ItemId Id="${esc(id)}"/>`).join('')}</m:ItemIds></m:GetItem>`,
      );
      for (const message of messages) {
        if (!message.ok && GONE.has(message.code)) continue;
        const element = child(child(orThrow('GetItem', message), 'Items'), 'Contact');
        if (!element) continue; // not a contact (a distribution list): outside the window
        // The zone is read only when a birthday is there to convert.
        const zone = child(element, 'Birthday') ? await this.zone(mailbox) : undefined;
        const { contact } = fromEwsContact(element, zone);
        if (await this.inContactFolder(mailbox, contact.parentFolderId ?? null)) out.push(contact);
      }
    }
    return out;
  }

  private zone(mailbox: string): Promise<string> {
    const key = mailbox.toLowerCase();
    const cached = this.zones.get(key);
    if (cached && cached.until > Date.now()) return cached.zone;
    const zone = this.transport(mailbox).then(readMailboxTimeZone);
    zone.catch(() => this.zones.delete(key));
    this.zones.set(key, { zone, until: Date.now() + 6 * 3600_000 });
    return zone;
  }

  private async inContactFolder(mailbox: string, folderId: string | null): Promise<boolean> {
    if (folderId === null) return true;
    if (this.contactFolders.get(mailbox)?.has(folderId)) return true;
    await this.listFolders(mailbox); // a folder created since the last look
    return this.contactFolders.get(mailbox)?.has(folderId) ?? false;
  }

  private async mustRead(mailbox: string, id: string, operation: string): Promise<ExchangeContact> {
    const contact = await this.get(mailbox, id);
    if (!contact)
      throw new SyncError(
        'transient',
        'ErrorItemNotFound',
        `${operation}: the contact was gone right after the write.`,
      );
    return contact;
  }

  private transport(mailbox: string): Promise<EwsTransport> {
    return this.pool.get(mailbox);
  }
}

function itemIdOf(element: ReturnType<typeof orThrow>): string {
  const id = child(child(child(element, 'Items'), 'Contact'), 'ItemId')?.attrs['Id'];
  if (!id) throw new SyncError('transient', 'UnexpectedResponse', 'CreateItem: no ItemId in the answer.');
  return id;
}

/**
 * The transports of on-premises mailboxes, one per mailbox (two kept-alive NTLM connections:
 * at most two requests in flight, issue 18 item 6), built on first use from `connect`. One
 * instance serves every EWS adapter of an account (contacts and mail, runtime.ts), so they
 * share those two connections. A failed `connect` (the password could not be read) is not
 * kept, and a sign-in Exchange refuses drops the mailbox's transport, so the next call reads
 * the password again: one changed by connecting the account again is picked up.
 */
export class EwsMailboxTransports extends EwsTransports {
  private readonly built = new Map<string, Promise<EwsTransport>>();

  constructor(
    private readonly connectMailbox: EwsExchangeContactsOptions['connect'],
    private readonly timeout?: number,
  ) {
    super(connectMailbox, timeout);
  }

  override get(mailbox: string): Promise<EwsTransport> {
    const key = mailbox.toLowerCase();
    const cached = this.built.get(key);
    if (cached) return cached;
    const forget = (t: EwsTransport) => {
      if (this.built.get(key) === transport) this.built.delete(key);
      t.close();
    };
    const transport: Promise<EwsTransport> = Promise.resolve(this.connectMailbox(mailbox)).then(
      (c) =>
        new ForgettingTransport(
          {
            url: c.url,
            credentials: c.credentials,
            ...(c.ca ? { ca: c.ca } : {}),
            ...(c.scheme ? { scheme: c.scheme } : {}),
            ...(this.timeout ? { timeoutMs: this.timeout } : {}),
          },
          forget,
        ),
    );
    transport.catch(() => {
      if (this.built.get(key) === transport) this.built.delete(key);
    });
    this.built.set(key, transport);
    return transport;
  }

  override close(): void {
    for (const t of this.built.values())
      void t.then(
        (x) => x.close(),
        () => undefined,
      );
    this.built.clear();
  }
}

/** A transport that hands itself back when Exchange refuses the sign-in (a changed password). */
class ForgettingTransport extends EwsTransport {
  constructor(
    options: ConstructorParameters<typeof EwsTransport>[0],
    private readonly forget: (t: EwsTransport) => void,
  ) {
    super(options);
  }

  override async post(body: string, path?: string) {
    try {
      return await super.post(body, path);
    } catch (error) {
      if (isSyncError(error, 'auth')) this.forget(this);
      throw error;
    }
  }
}

/**
 * The adapter of an on-premises account (functions/runtime.ts routes to it): the server, login
 * and CA of its connection, the password read from the secret store when the transport is
 * built (never kept anywhere else, never logged). A missing secret is `auth`: the account has
 * to be connected again.
 */
export function ewsContactsFor(
  connection: OnPremisesConnection,
  secrets: SecretStore,
  options: Omit<EwsExchangeContactsOptions, 'connect'> = {},
): EwsExchangeContacts {
  return new EwsExchangeContacts({
    ...options,
    connect: async () => {
      const password = await secrets.get(connection.secretName);
      if (password === null)
        throw new SyncError(
          'auth',
          'EwsPasswordMissing',
          'The password of this Exchange account is not stored; connect the account again.',
        );
      return {
        url: connection.ewsUrl,
        credentials: { username: connection.username, password },
        ...(connection.caPem ? { ca: connection.caPem } : {}),
        scheme: connection.auth,
      };
    },
  });
}
