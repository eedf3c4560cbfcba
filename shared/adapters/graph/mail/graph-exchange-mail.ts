import type { Client } from '@microsoft/microsoft-graph-client';
import type { MailFolderInfo } from '../../../mail/folders.js';
import type { GraphMessage } from '../../../mail/message.js';
import type { MailSettings } from '../../../mail/settings.js';
import type { ExchangeMail, MailDeltaPage, MessageContent } from '../../../mail-sync/ports.js';
import type { GraphSubscription } from '../../../ports.js';
import type { GraphCaller } from '../graph-call.js';
import * as subscriptions from '../graph-subscriptions.js';
import { MailboxScheduler } from '../mailbox-scheduler.js';
import { syncedFolders } from './mail-folders.js';
import { messageContents } from './message-contents.js';
import { messageDelta } from './message-delta.js';
import { createMessageSubscription, type MessageSubscriptionInput } from './message-subscriptions.js';
import { messagesById } from './messages-by-id.js';
import { ownerAddresses } from './owner-addresses.js';

/**
 * The ExchangeMail port over Microsoft Graph v1.0 (app-only). Shares the contacts adapter's
 * scheduler (pass `GraphExchangeContacts.scheduler`), so mail and contacts draw on one budget
 * per mailbox and one app-wide cap, as Outlook counts them.
 */
export interface GraphExchangeMailOptions {
  client: Client;
  scheduler?: MailboxScheduler;
  /** `Prefer: odata.maxpagesize` for message delta rounds. Default 200. */
  pageSize?: number;
}

export class GraphExchangeMail implements ExchangeMail {
  private readonly graph: GraphCaller;
  private readonly pageSize: number;

  constructor(options: GraphExchangeMailOptions) {
    this.graph = { client: options.client, scheduler: options.scheduler ?? new MailboxScheduler({}) };
    this.pageSize = options.pageSize ?? 200;
  }

  ownAddresses(mailbox: string): Promise<string[]> {
    return ownerAddresses(this.graph, mailbox);
  }

  syncedFolders(mailbox: string, mode: MailSettings['folders']): Promise<MailFolderInfo[]> {
    return syncedFolders(this.graph, mailbox, mode);
  }

  messageDelta(mailbox: string, folderId: string, deltaLink: string | null): AsyncIterable<MailDeltaPage> {
    return messageDelta(this.graph, mailbox, folderId, deltaLink, this.pageSize);
  }

  contents(
    mailbox: string,
    ids: readonly string[],
    withAttachments: ReadonlySet<string>,
  ): Promise<Map<string, MessageContent>> {
    return messageContents(this.graph, mailbox, ids, withAttachments);
  }

  async messages(mailbox: string, ids: readonly string[]): Promise<Map<string, GraphMessage>> {
    return (await messagesById(this.graph, mailbox, ids)).found;
  }

  createMessageSubscription(input: MessageSubscriptionInput): Promise<GraphSubscription> {
    return createMessageSubscription(this.graph, input);
  }

  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription> {
    return subscriptions.renewSubscription(this.graph, id, expirationDateTime);
  }

  getSubscription(id: string): Promise<GraphSubscription | null> {
    return subscriptions.getSubscription(this.graph, id);
  }

  deleteSubscription(id: string): Promise<void> {
    return subscriptions.deleteSubscription(this.graph, id);
  }
}
