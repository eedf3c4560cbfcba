import type { z } from 'zod';
import type { Account } from '../accounts/account.js';
import type { Accounts, Clock, Queue } from '../ports.js';
import {
  constantTimeEqual,
  type graphNotificationSchema,
  type lifecycleEventSchema,
} from '../sync/intake.js';
import { LIFECYCLE_REAUTHORIZE, mailSyncMessage } from './mail-jobs.js';
import type { MailStore } from './ports.js';

/**
 * Notifications of message subscriptions, at the same intake as the contacts' (POST
 * /api/graph/notifications and /api/graph/lifecycle): the items whose subscription is a mail
 * one of ours, with the clientState we set (compared in constant time), become one
 * `mailSync` message per account; everything else goes on to the contact intake untouched.
 * No Graph or CRM call here (Graph drops endpoints slower than 3 s).
 */
export interface MailIntakeDeps {
  accounts: Accounts;
  queue: Queue;
  clock: Clock;
  mailStore: MailStore;
}

type Notification = z.infer<typeof graphNotificationSchema>;
type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

export interface MailIntakeResult<T> {
  /** Items that are not about a mail subscription: for the contact intake. */
  rest: T[];
  accepted: number;
  rejected: number;
  enqueued: number;
}

export async function acceptMailNotifications(
  deps: MailIntakeDeps,
  items: Notification[],
): Promise<MailIntakeResult<Notification>> {
  return accept(deps, items, () => ({ full: false, reason: 'message notifications' }));
}

export async function acceptMailLifecycleEvents(
  deps: MailIntakeDeps,
  items: LifecycleEvent[],
): Promise<MailIntakeResult<LifecycleEvent>> {
  // Every lifecycle event asks for a full round: it renews (and so reauthorizes) the
  // subscription, recreates a removed one, and catches up what was missed by delta.
  return accept(deps, items, (item) => ({
    full: true,
    reason:
      item.lifecycleEvent === 'reauthorizationRequired'
        ? LIFECYCLE_REAUTHORIZE
        : `lifecycle ${item.lifecycleEvent}`,
  }));
}

async function accept<T extends { subscriptionId: string; clientState?: string | null | undefined }>(
  deps: MailIntakeDeps,
  items: T[],
  work: (item: T) => { full: boolean; reason: string },
): Promise<MailIntakeResult<T>> {
  const rest: T[] = [];
  const byAccount = new Map<string, { full: boolean; reason: string }>();
  let rejected = 0;
  for (const item of items) {
    const owner = await deps.mailStore.subscriptionOwner(item.subscriptionId);
    if (owner === null) {
      rest.push(item);
      continue;
    }
    const account = await ownerOf(deps, owner, item.subscriptionId, item.clientState);
    if (!account) {
      rejected++;
      continue;
    }
    const asked = work(item);
    const seen = byAccount.get(account.id);
    byAccount.set(account.id, seen && (seen.full || !asked.full) ? seen : asked);
  }
  const now = deps.clock.now();
  await Promise.all(
    [...byAccount].map(([accountId, asked]) =>
      deps.queue.send('mail', mailSyncMessage(accountId, asked.full, asked.reason, now)),
    ),
  );
  const mine = items.length - rest.length;
  return { rest, accepted: mine - rejected, rejected, enqueued: byAccount.size };
}

async function ownerOf(
  deps: MailIntakeDeps,
  accountId: string,
  subscriptionId: string,
  clientState: string | null | undefined,
): Promise<Account | null> {
  const stored = await deps.accounts.get(accountId);
  const expected = stored?.value.mail?.subscription;
  if (!stored || expected?.id !== subscriptionId || !clientState) return null;
  return constantTimeEqual(expected.clientState, clientState) ? stored.value : null;
}
