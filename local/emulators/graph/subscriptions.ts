import { etagOf } from './contact-view.js';
import type { Notifier } from './notifications.js';
import type { ChangeType, Mailbox, StoredContact } from './store.js';
import type { SubscriptionInfo } from './types.js';

/**
 * Active subscriptions and the notifications they produce. A subscription on
 * `/users/{m}/contacts` watches every contact of the mailbox; one on
 * `/users/{m}/contactFolders/{f}/contacts` watches that folder. Expired subscriptions are
 * forgotten and deliver nothing.
 */
export interface Subscription {
  id: string;
  resource: string;
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
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export class SubscriptionRegistry {
  private byId = new Map<string, Subscription>();

  constructor(
    private readonly notifier: Notifier,
    private readonly now: () => Date,
  ) {}

  add(subscription: Subscription): void {
    this.byId.set(subscription.id, subscription);
  }

  /** The live subscription, dropping it if it has expired. */
  get(id: string): Subscription | undefined {
    const subscription = this.byId.get(id);
    if (subscription && subscription.expirationDateTime.getTime() <= this.now().getTime()) {
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

  /** Sends a lifecycle event; `subscriptionRemoved` also ends the subscription, as Graph does. */
  lifecycle(subscription: Subscription, event: LifecycleEvent): void {
    if (event === 'subscriptionRemoved') this.byId.delete(subscription.id);
    if (!subscription.lifecycleNotificationUrl) return;
    this.notifier.enqueue(subscription.lifecycleNotificationUrl, {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: iso(subscription.expirationDateTime),
      tenantId: subscription.tenantId,
      clientState: subscription.clientState,
      lifecycleEvent: event,
    });
  }

  /** Store listener: one notification per watching subscription for every change. */
  onChange(mailbox: Mailbox, changeType: ChangeType, contact: StoredContact): void {
    for (const subscription of this.all()) {
      if (subscription.mailboxId !== mailbox.id || !subscription.changeTypes.includes(changeType)) continue;
      if (subscription.folderId !== null && subscription.folderId !== contact.folderId) continue;
      const resource = `Users/${mailbox.id}/Contacts/${contact.id}`;
      this.notifier.enqueue(subscription.notificationUrl, {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: iso(subscription.expirationDateTime),
        changeType,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Contact',
          '@odata.id': resource,
          '@odata.etag': etagOf(contact.changeKey),
          id: contact.id,
        },
        clientState: subscription.clientState,
        tenantId: subscription.tenantId,
      });
    }
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
  };
}

const iso = (date: Date) => date.toISOString().replace(/Z$/, '0000Z');
