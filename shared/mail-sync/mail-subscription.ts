import { randomBytes } from 'node:crypto';
import type { Account } from '../accounts/account.js';
import { lifetimeUnder, planSubscription, subscriptionExpiry } from '../accounts/subscription-plan.js';
import { isSyncError } from '../errors.js';
import type { AccountSession } from '../sync/account-session.js';
import { subscriptionOptions } from '../sync/account-tasks.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { MailDeps } from './deps.js';
import { emptyMailState } from './mail-state.js';

/**
 * The account's subscription on its messages (`users/{id}/messages`, every mail folder), made
 * and kept like the contact subscription (account-tasks.ts): created when missing or gone
 * (Graph deletes an expired one silently), renewed when due, under the same lifetime cap
 * (GRAPH_SUBSCRIPTION_MAX_MINUTES). Its notifications arrive at the same intake with their
 * clientState; the mail table maps its id to the account (written before the account names it).
 * Every full mail round calls this, so the sweep also repairs a lost subscription.
 */

/** The mail subscription seen through the contact subscription's planner. */
export function asPlannable(account: Account): Account {
  const mail = account.mail?.subscription;
  return { ...account, subscription: mail ? { ...mail, resource: 'messages' } : null };
}

export async function ensureMailSubscription(
  deps: MailDeps,
  session: AccountSession,
  lease: HeldLease,
  /** reauthorizationRequired: renew now (a PATCH of the expiry also reauthorizes). */
  forceRenew = false,
): Promise<void> {
  const options = subscriptionOptions(deps);
  const now = deps.wallClock.now();
  const current = session.account.mail?.subscription ?? null;
  const maxMinutes = options.maxMinutes ?? 10_080;
  const expiry = () => subscriptionExpiry(deps.wallClock.now(), lifetimeUnder(maxMinutes), maxMinutes);
  if (current) {
    const plan = planSubscription(asPlannable(session.account), now, options);
    // Graph may have removed it (lifecycle subscriptionRemoved, or expired silently): then a new one.
    const alive = (await deps.exchangeMail.getSubscription(current.id)) !== null;
    if (alive && plan.kind === 'none' && !forceRenew) return;
    if (alive && plan.kind !== 'create') {
      try {
        const renewed = await deps.exchangeMail.renewSubscription(current.id, expiry());
        await lease.check();
        await session.update((a) => {
          const mail = a.mail ?? emptyMailState();
          return {
            ...a,
            mail: {
              ...mail,
              subscription: mail.subscription
                ? { ...mail.subscription, expirationDateTime: renewed.expirationDateTime }
                : mail.subscription,
            },
          };
        });
        return;
      } catch (error) {
        if (!isSyncError(error, 'notFound')) throw error;
      }
    }
    await deps.mailStore.deleteSubscriptionOwner(current.id);
  }
  const base = deps.settings.publicBaseUrl;
  const clientState = randomBytes(24).toString('base64url');
  const created = await deps.exchangeMail.createMessageSubscription({
    mailbox: session.mailbox,
    notificationUrl: `${base}/api/graph/notifications`,
    lifecycleNotificationUrl: `${base}/api/graph/lifecycle`,
    clientState,
    expirationDateTime: expiry(),
  });
  await lease.check();
  await deps.mailStore.putSubscriptionOwner(created.id, session.account.id);
  await session.update((a) => ({
    ...a,
    mail: {
      ...(a.mail ?? emptyMailState()),
      subscription: { id: created.id, expirationDateTime: created.expirationDateTime, clientState },
    },
  }));
}

/** At the V2 shutdown: the message subscription goes (mail sync stops until migrated). */
export async function removeMailSubscription(
  deps: MailDeps,
  session: AccountSession,
  lease: HeldLease,
): Promise<void> {
  const current = session.account.mail?.subscription;
  if (!current) return;
  await lease.check();
  await deps.exchangeMail.deleteSubscription(current.id);
  await deps.mailStore.deleteSubscriptionOwner(current.id);
  await session.update((a) => ({ ...a, mail: { ...(a.mail ?? emptyMailState()), subscription: null } }));
}
