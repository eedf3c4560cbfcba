import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import {
  type ExchangeContact,
  type ExchangeFields,
  graphContactSchema,
} from '../../contact/exchange-contact.js';
import { isSyncError, type SyncError } from '../../errors.js';
import type {
  ContactFolder,
  ContactSubscriptions,
  ExchangeContacts,
  ExchangeDeleteOptions,
  GraphSubscription,
} from '../../ports.js';
import { type BatchItemResult, batchStep, runBatch } from './contact-batch.js';
import { contactDelta, type GraphDeltaPage } from './contact-delta.js';
import { ContactFolderIndex } from './contact-folder-index.js';
import { listFolders } from './contact-folders.js';
import { createWithoutDuplicates } from './create-retry.js';
import { contactQuery, findByLinkId } from './find-by-link.js';
import { api, callGraph, callGraphNoContent, type GraphCaller } from './graph-call.js';
import { paths, weakEtag, withQuery } from './graph-paths.js';
import * as subscriptions from './graph-subscriptions.js';
import { DEFAULT_LINK_PROPERTY_ID, linkProperty } from './link-marker.js';
import { MailboxScheduler } from './mailbox-scheduler.js';
import { MailboxTimeZones } from './mailbox-time-zone.js';
import type { BudgetLimits } from './request-budget.js';
import { ZonedContacts } from './zoned-contacts.js';

/**
 * The ExchangeContacts port over Microsoft Graph v1.0 (app-only, `/users/{m}/…`). Every call
 * goes through the per-mailbox scheduler; every failure is a SyncError; every answer is
 * validated at the edge. Writes send exactly the given fields (toGraphBody), so Exchange
 * fields outside the sync's window are never touched.
 *
 * Exchange as it behaves: ids are immutable (graph-call.ts `api`), a soft-deleted contact
 * reads as gone (contact-folder-index.ts), an unreadable mailbox is never "gone"
 * (classify-graph-error.ts), birthdays are dates of the mailbox's zone and what the user chose
 * in Outlook survives our writes (zoned-contacts.ts, contact-writes.ts), and a create is never
 * resent blindly (create-retry.ts).
 */
export interface GraphExchangeContactsOptions {
  client: Client;
  /** Shared by every adapter talking to the same mailboxes in this process. */
  scheduler?: MailboxScheduler;
  /** Without a scheduler: the limits of the one built here (default Outlook's, see request-budget.ts). */
  budget?: Partial<BudgetLimits>;
  /** Without a scheduler: its app-wide cap of requests in flight (mailbox-scheduler.ts, default 4). */
  appConcurrency?: number;
  /** The ownership marker's extended-property id; default `String {GUID} Name SyncLinkId`. */
  linkPropertyId?: string;
  /** `Prefer: odata.maxpagesize` for delta rounds. Default 500. */
  pageSize?: number;
}

export interface BatchCreateItem {
  folderId: string;
  fields: ExchangeFields;
  linkId: string;
}

export interface BatchUpdateItem {
  id: string;
  fields: Partial<ExchangeFields>;
  changeKey?: string;
  /** As for `update`: the contact the change was planned against. */
  current?: ExchangeContact;
}

export type { BatchItemResult, GraphDeltaPage };

const folderSchema = z.object({ id: z.string().min(1) }).loose();

export class GraphExchangeContacts implements ExchangeContacts, ContactSubscriptions {
  readonly scheduler: MailboxScheduler;
  /** Graph pushes changes: the account keeps a subscription (the methods below). */
  readonly subscriptions: ContactSubscriptions = this;
  private readonly graph: GraphCaller;
  private readonly linkPropertyId: string;
  private readonly pageSize: number;
  private readonly folders: ContactFolderIndex;
  private readonly view: ZonedContacts;

  constructor(options: GraphExchangeContactsOptions) {
    this.scheduler =
      options.scheduler ??
      new MailboxScheduler({
        ...options.budget,
        ...(options.appConcurrency === undefined ? {} : { appConcurrency: options.appConcurrency }),
      });
    this.graph = { client: options.client, scheduler: this.scheduler };
    this.linkPropertyId = options.linkPropertyId ?? DEFAULT_LINK_PROPERTY_ID;
    this.pageSize = options.pageSize ?? 500;
    this.folders = new ContactFolderIndex(this.graph);
    this.view = new ZonedContacts(new MailboxTimeZones(this.graph));
  }

  listFolders(mailbox: string): Promise<ContactFolder[]> {
    return listFolders(this.graph, mailbox);
  }

  async defaultFolderId(mailbox: string): Promise<string> {
    const folder = await callGraph(
      this.graph,
      mailbox,
      'GET /users/{m}/contactFolders/contacts',
      (client) => api(client, withQuery(paths.folder(mailbox, 'contacts'), { $select: 'id' })).get(),
      folderSchema,
    );
    return folder.id;
  }

  async *delta(mailbox: string, folderId: string, deltaLink: string | null): AsyncGenerator<GraphDeltaPage> {
    for await (const page of contactDelta(this.graph, mailbox, folderId, deltaLink, this.pageSize)) {
      // No cursor mid-round (a nextLink is not kept): the last page's deltaLink is the one.
      yield {
        ...page,
        upserts: await this.view.read(mailbox, page.upserts),
        ...(page.deltaLink ? { resumeCursor: page.deltaLink } : {}),
      };
    }
  }

  async get(mailbox: string, id: string): Promise<ExchangeContact | null> {
    const query = contactQuery(this.linkPropertyId);
    let contact: ExchangeContact;
    try {
      contact = await callGraph(
        this.graph,
        mailbox,
        'GET /users/{m}/contacts/{id}',
        (client) => api(client, withQuery(paths.contact(mailbox, id), query)).get(),
        graphContactSchema,
      );
    } catch (error) {
      if (isItemGone(error)) return null;
      throw error;
    }
    // Soft-deleted: it sits in Deleted Items now (contact-folder-index.ts).
    const folder = contact.parentFolderId;
    if (folder && !(await this.folders.isContactFolder(mailbox, folder))) return null;
    return this.view.readOne(mailbox, contact);
  }

  async create(
    mailbox: string,
    folderId: string,
    fields: ExchangeFields,
    linkId: string,
  ): Promise<ExchangeContact> {
    const body = await this.createBody(mailbox, fields, linkId);
    const created = await createWithoutDuplicates({
      scheduler: this.scheduler,
      mailbox,
      post: () =>
        callGraph(
          this.graph,
          mailbox,
          'POST /users/{m}/contactFolders/{f}/contacts',
          (client) => api(client, paths.folderContacts(mailbox, folderId)).post(body),
          graphContactSchema,
          { idempotent: false },
        ),
      find: () => findByLinkId(this.graph, mailbox, this.linkPropertyId, linkId),
    });
    return this.view.readOne(mailbox, created);
  }

  /**
   * `current` is the contact as the caller last read it (the one its plan was made against):
   * with it, the user's displayName and e-mail display names survive (contact-writes.ts)
   * without a read before the write.
   */
  async update(
    mailbox: string,
    id: string,
    fields: Partial<ExchangeFields>,
    changeKey?: string,
    current?: ExchangeContact,
  ): Promise<ExchangeContact> {
    const body = await this.view.body(mailbox, fields, current);
    const updated = await callGraph(
      this.graph,
      mailbox,
      'PATCH /users/{m}/contacts/{id}',
      (client) => {
        const request = api(client, paths.contact(mailbox, id));
        if (changeKey !== undefined) request.header('If-Match', weakEtag(changeKey));
        return request.patch(body);
      },
      graphContactSchema,
    );
    return this.view.readOne(mailbox, updated);
  }

  /**
   * With `changeKey`, `If-Match: W/"<changeKey>"`: a contact's `@odata.etag` is its changeKey as
   * a weak tag (contact resource), and Exchange answers a stale one with 412
   * ErrorIrresolvableConflict, which is `conflict` here: the user's edit since our read wins.
   * A soft delete changes the changeKey too, so a 412 on a contact that is in Deleted Items by
   * now is what we wanted: done, not a conflict (and not purged from the user's Deleted Items).
   *
   * `permanent`: `POST …/contacts/{id}/permanentDelete` ("contact: permanentDelete", v1.0,
   * https://learn.microsoft.com/graph/api/contact-permanentdelete: no body, 204 No Content; to
   * the purges folder of the dumpster, out of Outlook's reach), with the same If-Match (the
   * page lists no If-Match header; the Graph emulator honours it as on DELETE).
   */
  async delete(
    mailbox: string,
    id: string,
    changeKey?: string,
    options?: ExchangeDeleteOptions,
  ): Promise<void> {
    if (options?.permanent !== true) return this.deleteOnce(mailbox, id, changeKey, 'DELETE');
    // "contact: permanentDelete" documents no If-Match, so the condition (edit beats delete) is
    // not left to it: a conditional DELETE first moves the contact to Deleted Items, where the
    // purge then finds it under its immutable id.
    if (changeKey !== undefined) await this.deleteOnce(mailbox, id, changeKey, 'DELETE');
    await this.deleteOnce(mailbox, id, undefined, 'permanentDelete');
  }

  private async deleteOnce(
    mailbox: string,
    id: string,
    changeKey: string | undefined,
    how: 'DELETE' | 'permanentDelete',
  ): Promise<void> {
    const permanent = how === 'permanentDelete';
    const context = permanent
      ? 'POST /users/{m}/contacts/{id}/permanentDelete'
      : 'DELETE /users/{m}/contacts/{id}';
    try {
      await callGraphNoContent(this.graph, mailbox, context, (client) => {
        const path = paths.contact(mailbox, id);
        const request = api(client, permanent ? `${path}/permanentDelete` : path);
        if (changeKey !== undefined) request.header('If-Match', weakEtag(changeKey));
        return permanent ? request.post(undefined) : request.delete();
      });
    } catch (error) {
      // Already gone, perhaps by an earlier attempt of this very call.
      if (isItemGone(error)) return;
      if (isSyncError(error, 'conflict') && (await this.get(mailbox, id)) === null) return;
      throw error;
    }
  }

  async findByLinkId(mailbox: string, linkId: string): Promise<ExchangeContact | null> {
    const found = await findByLinkId(this.graph, mailbox, this.linkPropertyId, linkId);
    return found === null ? null : this.view.readOne(mailbox, found);
  }

  /** Bulk CRM → Exchange creates through `$batch`; one result per item, in input order. */
  async batchCreate(mailbox: string, items: BatchCreateItem[]): Promise<BatchItemResult[]> {
    const steps = await Promise.all(
      items.map(async (item) =>
        batchStep(
          'POST',
          paths.folderContacts(mailbox, item.folderId),
          await this.createBody(mailbox, item.fields, item.linkId),
        ),
      ),
    );
    const results = await runBatch(
      this.graph,
      mailbox,
      'POST /users/{m}/contactFolders/{f}/contacts',
      steps,
      (index) => findByLinkId(this.graph, mailbox, this.linkPropertyId, items[index]?.linkId ?? ''),
    );
    return this.view.readResults(mailbox, results);
  }

  /** Bulk CRM → Exchange updates through `$batch`; a stale changeKey fails that item with `conflict`. */
  async batchUpdate(mailbox: string, items: BatchUpdateItem[]): Promise<BatchItemResult[]> {
    const steps = await Promise.all(
      items.map(async (item) =>
        batchStep(
          'PATCH',
          paths.contact(mailbox, item.id),
          await this.view.body(mailbox, item.fields, item.current),
          item.changeKey,
        ),
      ),
    );
    const results = await runBatch(this.graph, mailbox, 'PATCH /users/{m}/contacts/{id}', steps);
    return this.view.readResults(mailbox, results);
  }

  createSubscription(input: subscriptions.SubscriptionInput): Promise<GraphSubscription> {
    return subscriptions.createSubscription(this.graph, input);
  }

  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription> {
    return subscriptions.renewSubscription(this.graph, id, expirationDateTime);
  }

  reauthorizeSubscription(id: string): Promise<void> {
    return subscriptions.reauthorizeSubscription(this.graph, id);
  }

  getSubscription(id: string): Promise<GraphSubscription | null> {
    return subscriptions.getSubscription(this.graph, id);
  }

  deleteSubscription(id: string): Promise<void> {
    return subscriptions.deleteSubscription(this.graph, id);
  }

  private async createBody(
    mailbox: string,
    fields: ExchangeFields,
    linkId: string,
  ): Promise<Record<string, unknown>> {
    return {
      ...(await this.view.body(mailbox, fields, undefined)),
      singleValueExtendedProperties: [linkProperty(this.linkPropertyId, linkId)],
    };
  }
}

/**
 * The item itself is gone (404 ErrorItemNotFound). A mailbox that cannot be read is
 * `mailboxUnavailable` and an unrecognised 404 `transient` (classify-graph-error.ts): neither
 * may ever read as "deleted".
 */
function isItemGone(error: unknown): error is SyncError {
  return isSyncError(error, 'notFound');
}
