import { z } from 'zod';
import { isSyncError, SyncError } from '../../../errors.js';
import type { GraphSubscription } from '../../../ports.js';
import { api, callGraph, type GraphCaller } from '../graph-call.js';
import { paths } from '../graph-paths.js';
import { APP_WIDE } from '../mailbox-scheduler.js';

/**
 * A change-notification subscription on a mailbox's messages (`users/{id}/messages`: every
 * mail folder of the mailbox, "Change notifications for Outlook resources"), created with
 * immutable ids so notifications name the ids delta returns. Its lifetime cap is the one of
 * contacts (10,080 minutes, graph-azure-facts.md); renew, get and delete are the contact
 * subscription's calls (graph-subscriptions.ts), a subscription being a subscription.
 */
export interface MessageSubscriptionInput {
  mailbox: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  expirationDateTime: string;
}

const subscriptionSchema = z
  .object({
    id: z.string().min(1),
    resource: z.string(),
    expirationDateTime: z.string(),
    notificationUrl: z.string(),
    lifecycleNotificationUrl: z.string().nullable().optional(),
  })
  .loose();

export async function createMessageSubscription(
  graph: GraphCaller,
  input: MessageSubscriptionInput,
): Promise<GraphSubscription> {
  const body = {
    changeType: 'created,updated,deleted',
    resource: `users/${input.mailbox}/messages`,
    notificationUrl: input.notificationUrl,
    lifecycleNotificationUrl: input.lifecycleNotificationUrl,
    clientState: input.clientState,
    expirationDateTime: input.expirationDateTime,
  };
  const created = await callGraph(
    graph,
    APP_WIDE,
    'POST /subscriptions (messages)',
    (client) => api(client, paths.subscriptions()).post(body),
    subscriptionSchema,
  ).catch((error: unknown) => {
    if (!isSyncError(error, 'notFound')) throw error;
    throw new SyncError('mailboxUnavailable', error.code, error.message, { status: error.status ?? 404 });
  });
  return {
    id: created.id,
    resource: created.resource,
    expirationDateTime: created.expirationDateTime,
    clientState: input.clientState,
    notificationUrl: created.notificationUrl,
    ...(created.lifecycleNotificationUrl
      ? { lifecycleNotificationUrl: created.lifecycleNotificationUrl }
      : {}),
  };
}
