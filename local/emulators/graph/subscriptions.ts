import { etagOf } from './contact-view.js';
import type { FaultState } from './faults.js';
import type { MailChange } from './mail/mail-store.js';
import type { Notifier } from './notifications.js';
import type { ChangeEvent, ChangeType, Mailbox } from './store.js';
import type { SubscriptionInfo } from './types.js';

/**
 * Active subscriptions and the notifications they produce. A subscription on
 * `/users/{m}/contacts` watches every contact folder of the mailbox; one on
 * `/users/{m}/contactFolders/{f}/contacts` watches that folder. Deleted Items is no contact
 * folder, so a soft delete shows as `deleted` where the contact was and nowhere else.
 *
 * As Graph does it ("Reduce missing subscriptions and change notifications"):
 * - `reauthorizationRequired` is posted before a subscription expires (`leadMinutes`, default
 *   60) or on demand; "the flow of change notifications may continue for a while" (`graceMs`,
 *   default 10 minutes; 0 for the on-demand fault), then delivery pauses, and changes in the
 *   pause are lost, until the app calls `POST /subscriptions/{id}/reauthorize` or renews by PATCH;
 * - `missed` is posted when notifications were dropped (after the retries gave up, or by the
 *   `dropNotifications` fault with `missed: true`);
 * - expired subscriptions are deleted silently.
 * Ids in `resource` and `resourceData.id` are immutable ones when the subscription was created
 * with `Prefer: IdType="ImmutableId"` ("Immutable ID with change notifications").
 */
export interface Subscription {
  id: string;
  resource: string;
  /** What it watches: contacts (the default) or the mailbox's messages (`users/{id}/messages`). */
  kind?: 'contacts' | 'messages';
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: Date;
  clientState: string | null;
  tenantId: string;
  appId: string;
  mailboxId: string;
  folderId: string | null;
  creatorId: string;
  immutableIds: boolean;
  /** When delivery pauses after a reauthorizationRequired challenge (epoch ms); null = not challenged. */
  pauseAt: number | null;
  /** The expiry the automatic challenge was sent for (one per expiry). */
  challengedFor: number | null;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface RegistryOptions {
  notifier: Notifier;
  now: () => Date;
  faults: FaultState;
  leadMinutes: number;
  graceMs: number;
}

export class SubscriptionRegistry {
  private byId = new Map<string, Subscription>();
  private readonly timer = setInterval(() => this.sweep(), 1000);

  constructor(private readonly options: RegistryOptions) {
    this.timer.unref();
    options.notifier.onLost = (ids) => {
      for (const id of new Set(ids)) {
        const subscription = this.get(id);
        if (subscription) this.lifecycle(subscription, 'missed');
      }
    };
  }

  add(subscription: Subscription): void {
    this.byId.set(subscription.id, subscription);
  }

  /** The live subscription, dropping it silently if it has expired. */
  get(id: string): Subscription | undefined {
    const subscription = this.byId.get(id);
    if (subscription && subscription.expirationDateTime.getTime() <= this.options.now().getTime()) {
      this.byId.delete(id);
      return undefined;
    }
    return subscription;
  }

  all(): Subscription[] {
    return [...this.byId.keys()].map((id) => this.get(id)).filter((s): s is Subscription => s !== undefined);
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  clear(): void {
    this.byId.clear();
  }

  private readonly stopHooks: (() => void)[] = [];

  /** Runs `hook` when the registry stops (the message listener of app.ts lets go). */
  alsoOnStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const hook of this.stopHooks.splice(0)) hook();
  }

  /** Reauthorize or renew: delivery resumes. */
  reauthorize(subscription: Subscription): void {
    subscription.pauseAt = null;
  }

  paused(subscription: Subscription): boolean {
    return subscription.pauseAt !== null && this.options.now().getTime() >= subscription.pauseAt;
  }

  /**
   * Expires what is due and challenges what is about to expire; called on a timer and after
   * the clock moves (admin fault `advanceClock`).
   */
  sweep(): void {
    const now = this.options.now().getTime();
    for (const subscription of this.all()) {
      const expires = subscription.expirationDateTime.getTime();
      if (expires - now <= this.options.leadMinutes * 60_000 && subscription.challengedFor !== expires) {
        subscription.challengedFor = expires;
        this.lifecycle(subscription, 'reauthorizationRequired', this.options.graceMs);
      }
    }
  }

  /** Sends a lifecycle event; `subscriptionRemoved` also ends the subscription, as Graph does. */
  /** `pauseAfterMs` (reauthorizationRequired only): when delivery pauses; null = it does not. */
  lifecycle(subscription: Subscription, event: LifecycleEvent, pauseAfterMs: number | null = 0): void {
    if (event === 'subscriptionRemoved') this.byId.delete(subscription.id);
    if (event === 'reauthorizationRequired' && pauseAfterMs !== null && subscription.pauseAt === null) {
      subscription.pauseAt = this.options.now().getTime() + pauseAfterMs;
    }
    if (!subscription.lifecycleNotificationUrl) return;
    this.options.notifier.enqueue(subscription.lifecycleNotificationUrl, {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: iso(subscription.expirationDateTime),
      tenantId: subscription.tenantId,
      clientState: subscription.clientState,
      lifecycleEvent: event,
    });
  }

  /** Store listener: one notification per watching subscription for every change. */
  onChange(mailbox: Mailbox, change: ChangeEvent): void {
    if (change.folderId === mailbox.deletedItemsFolderId) return;
    // Exchange does not always notify a soft delete (issue 13; the `silentDeletes` fault).
    if (change.type === 'deleted' && change.soft && this.options.faults.takeSilentDelete()) return;
    for (const subscription of this.all()) {
      if (subscription.kind === 'messages') continue;
      if (subscription.mailboxId !== mailbox.id || !subscription.changeTypes.includes(change.type)) continue;
      if (subscription.folderId !== null && subscription.folderId !== change.folderId) continue;
      if (this.paused(subscription)) continue;
      const id = subscription.immutableIds ? change.immutableId : change.id;
      const resource = `Users/${mailbox.id}/Contacts/${id}`;
      this.options.notifier.enqueue(
        subscription.notificationUrl,
        {
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: iso(subscription.expirationDateTime),
          changeType: change.type,
          resource,
          resourceData: {
            '@odata.type': '#Microsoft.Graph.Contact',
            '@odata.id': resource,
            '@odata.etag': etagOf(change.contact.changeKey),
            id,
          },
          clientState: subscription.clientState,
          tenantId: subscription.tenantId,
        },
        subscription.id,
      );
    }
  }
}

/**
 * Message subscriptions' notifications ("Change notifications for Outlook resources": a
 * subscription on `users/{id}/messages` covers every folder of the mailbox; the shape as for
 * contacts, with `Users/{id}/Messages/{id}` and `#Microsoft.Graph.Message`), the same
 * delivery faults, pauses and batching as contacts.
 */
export function notifyMailChange(
  registry: SubscriptionRegistry,
  notifier: Notifier,
  mailbox: Mailbox,
  change: MailChange,
): void {
  for (const subscription of registry.all()) {
    if (subscription.kind !== 'messages' || subscription.mailboxId !== mailbox.id) continue;
    if (!subscription.changeTypes.includes(change.type) || registry.paused(subscription)) continue;
    const id = subscription.immutableIds ? change.immutableId : change.id;
    const resource = `Users/${mailbox.id}/Messages/${id}`;
    notifier.enqueue(
      subscription.notificationUrl,
      {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: iso(subscription.expirationDateTime),
        changeType: change.type,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Message',
          '@odata.id': resource,
          '@odata.etag': `W/"${change.changeKey}"`,
          id,
        },
        clientState: subscription.clientState,
        tenantId: subscription.tenantId,
      },
      subscription.id,
    );
  }
}

export function subscriptionView(subscription: Subscription): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resource,
    applicationId: subscription.appId,
    changeType: subscription.changeTypes.join(','),
    clientState: subscription.clientState,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: iso(subscription.expirationDateTime),
    creatorId: subscription.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

export function subscriptionInfo(subscription: Subscription): SubscriptionInfo {
  return {
    id: subscription.id,
    resource: subscription.resource,
    changeType: subscription.changeTypes.join(','),
    notificationUrl: subscription.notificationUrl,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: iso(subscription.expirationDateTime),
    clientState: subscription.clientState,
    immutableIds: subscription.immutableIds,
    pauseAt: subscription.pauseAt === null ? null : new Date(subscription.pauseAt).toISOString(),
  };
}

const iso = (date: Date) => date.toISOString().replace(/Z$/, '0000Z');
