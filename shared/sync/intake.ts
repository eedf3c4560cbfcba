import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Account } from '../accounts/account.js';
import { type LifecycleAction, lifecycleAction } from '../accounts/subscription-plan.js';
import type { CrmEvent } from '../contact/crm-contact.js';
import { isSyncError } from '../errors.js';
import type { Accounts, Clock, Queue } from '../ports.js';
import type { QueueMessage } from '../queue-message.js';
import type { MailboxHints } from './hint-batcher.js';
import type { OwnCrmWrites } from './own-writes.js';

/**
 * What the webhook functions do with a validated payload: check it belongs to a subscription
 * we made (clientState, compared in constant time), turn it into queue messages, enqueue.
 * No Graph or CRM call happens here: Graph drops endpoints slower than 3 s.
 */

export const graphNotificationSchema = z
  .object({
    subscriptionId: z.string().min(1).max(200),
    clientState: z.string().max(256).nullable().optional(),
    changeType: z.string().max(100).optional(),
    resource: z.string().max(2000).optional(),
    tenantId: z.string().max(200).optional(),
    resourceData: z
      .object({ id: z.string().max(2000).optional(), '@odata.etag': z.string().max(500).optional() })
      .loose()
      .optional(),
  })
  .loose();
export const graphNotificationBatchSchema = z
  .object({ value: z.array(graphNotificationSchema).min(1).max(1000) })
  .loose();

export const lifecycleEventSchema = z
  .object({
    subscriptionId: z.string().min(1).max(200),
    clientState: z.string().max(256).nullable().optional(),
    lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
  })
  .loose();
export const lifecycleBatchSchema = z
  .object({ value: z.array(lifecycleEventSchema).min(1).max(1000) })
  .loose();

export interface IntakeDeps {
  accounts: Accounts;
  queue: Queue;
  clock: Clock;
  /** CRM versions this process wrote: their events are echoes, dropped without a message. */
  ownWrites?: OwnCrmWrites;
}

export interface IntakeResult {
  accepted: number;
  rejected: number;
  enqueued: number;
}

type Notification = z.infer<typeof graphNotificationSchema>;

/**
 * Change notifications → one "mailbox changed" hint per account, group-committed with the
 * hints of concurrent requests (hint-batcher.ts): a delta round covers them all.
 */
export async function acceptGraphNotifications(
  deps: IntakeDeps & { hints: MailboxHints },
  items: Notification[],
): Promise<IntakeResult> {
  const byAccount = new Map<string, string[]>();
  let rejected = 0;
  for (const item of items) {
    const account = await ownerOf(deps, item.subscriptionId, item.clientState);
    if (!account) {
      rejected++;
      continue;
    }
    // Graph's retry of a delivery repeats the etag; a new change has a new one.
    const key = `${item.subscriptionId}|${item.changeType}|${item.resourceData?.id ?? item.resource}|${item.resourceData?.['@odata.etag'] ?? ''}`;
    byAccount.set(account.id, [...(byAccount.get(account.id) ?? []), key]);
  }
  await Promise.all(
    [...byAccount].map(([accountId, keys]) => deps.hints.notify(accountId, keys, 'change notifications')),
  );
  return { accepted: items.length - rejected, rejected, enqueued: byAccount.size };
}

type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

const TASK_FOR: Record<
  Exclude<LifecycleAction, 'resync'>,
  Extract<QueueMessage, { kind: 'accountTask' }>['task']
> = {
  reauthorize: 'reauthorize',
  recreateAndResync: 'recreateSubscription',
};

/**
 * Lifecycle events → account tasks (subscription-plan.ts `lifecycleAction`). `missed` needs
 * only a delta round, so it becomes a mailbox hint like a change notification, coalesced with
 * the others. Several events in one POST, for several subscriptions, are each handled.
 */
export async function acceptLifecycleEvents(
  deps: IntakeDeps & { hints: MailboxHints },
  items: LifecycleEvent[],
): Promise<IntakeResult> {
  let rejected = 0;
  let enqueued = 0;
  for (const item of items) {
    const account = await ownerOf(deps, item.subscriptionId, item.clientState);
    if (!account) {
      rejected++;
      continue;
    }
    const action = lifecycleAction(item.lifecycleEvent);
    if (action === 'resync') {
      const key = `${item.subscriptionId}|missed|${deps.clock.now().toISOString().slice(0, 16)}`;
      await deps.hints.notify(account.id, [key], 'lifecycle event missed');
      enqueued++;
      continue;
    }
    await deps.queue.send('exchange-to-crm', {
      v: 1,
      kind: 'accountTask',
      accountId: account.id,
      task: TASK_FOR[action],
      reason: `lifecycle event ${item.lifecycleEvent}`,
      sessionKey: account.id,
      dedupeId: digest(
        `${item.subscriptionId}|${item.lifecycleEvent}|${deps.clock.now().toISOString().slice(0, 16)}`,
      ),
    });
    enqueued++;
  }
  return { accepted: items.length - rejected, rejected, enqueued };
}

/**
 * A CRM event → one crmEvent message (fanned out to accounts by the worker), unless it is the
 * echo of a write this process made (own-writes.ts).
 */
export async function acceptCrmEvent(deps: IntakeDeps, event: CrmEvent): Promise<'queued' | 'echo'> {
  if (event.type !== 'contact.deleted' && deps.ownWrites?.isEcho(event.contactId, event.version))
    return 'echo';
  await deps.queue.send('crm-events', {
    v: 1,
    kind: 'crmEvent',
    contactId: event.contactId,
    version: event.version,
    deleted: event.type === 'contact.deleted',
    sessionKey: `crm:${event.contactId}`.slice(0, 128),
    dedupeId: `evt:${event.eventId}`.slice(0, 128),
  });
  return 'queued';
}

/** The account whose subscription this is, only if the clientState is the one we set (tenant isolation). */
async function ownerOf(
  deps: IntakeDeps,
  subscriptionId: string,
  clientState: string | null | undefined,
): Promise<Account | null> {
  let account: Account | null;
  try {
    account = await deps.accounts.findBySubscriptionId(subscriptionId);
  } catch (error) {
    // An id that cannot even be a table key (e.g. a lone surrogate) names no subscription of ours.
    if (isSyncError(error, 'invalid')) return null;
    throw error;
  }
  const expected = account?.subscription?.id === subscriptionId ? account.subscription.clientState : null;
  if (!account || !expected || !clientState) return null;
  return constantTimeEqual(expected, clientState) ? account : null;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
