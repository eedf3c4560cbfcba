import type { OnPremisesConnection } from '../../../accounts/on-premises.js';
import { SyncError } from '../../../errors.js';
import type { MailFolderInfo } from '../../../mail/folders.js';
import type { GraphMessage } from '../../../mail/message.js';
import type { MailSettings } from '../../../mail/settings.js';
import type { ExchangeMail, MessageContent } from '../../../mail-sync/ports.js';
import type { GraphSubscription, SecretStore } from '../../../ports.js';
import { READ_BATCH } from './get-items.js';
import { syncedMailFolders } from './mail-folders.js';
import { ewsMessageContents, ewsMessagesById } from './message-contents.js';
import { type EwsMailDeltaPage, MAX_CHANGES, mailFolderChanges } from './message-sync.js';
import { ewsOwnerAddresses } from './owner-addresses.js';
import { type ConnectMailbox, connectAccount, EwsTransports } from './transports.js';

/**
 * The ExchangeMail port over Exchange Web Services, for mailboxes on the customer's own
 * Exchange (issue 18 item 9): the same behaviour contract as GraphExchangeMail
 * (test/contract/mail.contract.ts), with EWS's own means:
 * - owner addresses: ResolveNames (owner-addresses.ts);
 * - folders: GetFolder by DistinguishedFolderId, SyncFolderHierarchy for every folder (mail-folders.ts);
 * - delta: SyncFolderItems IdOnly, 512 a call, the SyncState as the cursor, fields by GetItem (message-sync.ts);
 * - bodies and attachment metadata: GetItem with BodyType Text (message-contents.ts).
 *
 * Differences the pipeline sees: EWS ids are not immutable (a move is a removal in the old
 * folder and a new id in the new one, ews-identifiers-in-exchange.md), there is no body
 * preview, and there are no subscriptions: the account is polled (issue 18 item 2), so the
 * subscription methods throw `invalid` EwsHasNoSubscriptions, as the contacts adapter's did.
 */
export interface EwsExchangeMailOptions {
  /** Shared with the contacts adapter of the same worker where it can take one (one budget per mailbox). */
  transports?: EwsTransports;
  /** Used when `transports` is not given. */
  connect?: ConnectMailbox;
  /** SyncFolderItems MaxChangesReturned (1–512). Default 512. */
  pageSize?: number;
  /** GetItem batch size. Default 50. */
  readBatch?: number;
  timeoutMs?: number;
}

export class EwsExchangeMail implements ExchangeMail {
  readonly transports: EwsTransports;
  private readonly ownsTransports: boolean;
  private readonly pageSize: number;
  private readonly readBatch: number;

  constructor(options: EwsExchangeMailOptions) {
    const transports =
      options.transports ??
      (options.connect ? new EwsTransports(options.connect, options.timeoutMs) : undefined);
    if (!transports) throw new Error('EwsExchangeMail needs transports or connect');
    this.transports = transports;
    this.ownsTransports = options.transports === undefined;
    this.pageSize = options.pageSize ?? MAX_CHANGES;
    this.readBatch = options.readBatch ?? READ_BATCH;
  }

  /** Closes the transports this adapter made itself; shared ones (`transports`) are their owner's to close. */
  close(): void {
    if (this.ownsTransports) this.transports.close();
  }

  async ownAddresses(mailbox: string): Promise<string[]> {
    return ewsOwnerAddresses(await this.transports.get(mailbox), mailbox);
  }

  async syncedFolders(mailbox: string, mode: MailSettings['folders']): Promise<MailFolderInfo[]> {
    return syncedMailFolders(await this.transports.get(mailbox), mode);
  }

  async *messageDelta(
    mailbox: string,
    folderId: string,
    deltaLink: string | null,
  ): AsyncGenerator<EwsMailDeltaPage> {
    yield* mailFolderChanges(
      await this.transports.get(mailbox),
      folderId,
      deltaLink,
      this.pageSize,
      this.readBatch,
    );
  }

  async contents(
    mailbox: string,
    ids: readonly string[],
    withAttachments: ReadonlySet<string>,
  ): Promise<Map<string, MessageContent>> {
    return ewsMessageContents(await this.transports.get(mailbox), ids, withAttachments, this.readBatch);
  }

  async messages(mailbox: string, ids: readonly string[]): Promise<Map<string, GraphMessage>> {
    return ewsMessagesById(await this.transports.get(mailbox), ids, this.readBatch);
  }

  createMessageSubscription(
    _input: Parameters<ExchangeMail['createMessageSubscription']>[0],
  ): Promise<GraphSubscription> {
    return Promise.reject(noSubscriptions());
  }
  renewSubscription(_id: string, _expirationDateTime: string): Promise<GraphSubscription> {
    return Promise.reject(noSubscriptions());
  }
  getSubscription(_id: string): Promise<GraphSubscription | null> {
    return Promise.reject(noSubscriptions());
  }
  deleteSubscription(_id: string): Promise<void> {
    return Promise.reject(noSubscriptions());
  }
}

function noSubscriptions(): SyncError {
  return new SyncError(
    'invalid',
    'EwsHasNoSubscriptions',
    'EWS accounts are polled with SyncFolderItems; they have no subscriptions.',
  );
}

/**
 * The mail adapter of one on-premises account, from its connection and its password in the
 * secret store: what an `AccountRouter<ExchangeMail>` builds for an account
 * (shared/sync/exchange-router.ts), as `ewsContactsFor` does for contacts.
 */
export function ewsMailFor(
  connection: OnPremisesConnection,
  secrets: SecretStore,
  options: Omit<EwsExchangeMailOptions, 'connect' | 'transports'> = {},
): EwsExchangeMail {
  return new EwsExchangeMail({ ...options, connect: connectAccount(connection, secrets) });
}
