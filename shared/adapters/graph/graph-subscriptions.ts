import { z } from 'zod';
import { isSyncError, SyncError } from '../../errors.js';
import type { GraphSubscription } from '../../ports.js';
import { api, callGraph, callGraphNoContent, type GraphCaller } from './graph-call.js';
import { paths } from './graph-paths.js';
import { APP_WIDE } from './mailbox-scheduler.js';

/**
 * Change-notification subscriptions on a mailbox's contacts (graph-azure-facts.md section 1).
 * Subscriptions belong to the app, not to a mailbox, so their calls share the scheduler's
 * app-wide key: one global limit and the same Retry-After handling.
 */
export interface SubscriptionInput {
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
    clientState: z.string().nullable().optional(),
    notificationUrl: z.string(),
    lifecycleNotificationUrl: z.string().nullable().optional(),
  })
  .loose();

const CHANGE_TYPES = 'created,updated,deleted';

/** What a subscription watches in the mailbox: its contacts, or its messages (every mail folder). */
export type SubscribedResource = 'contacts' | 'messages';

export async function createSubscription(
  graph: GraphCaller,
  input: SubscriptionInput,
  watched: SubscribedResource = 'contacts',
): Promise<GraphSubscription> {
  const body = {
    changeType: CHANGE_TYPES,
    // A resource path, not a URL: Graph expects the id or UPN as it is.
    resource: `users/${input.mailbox}/${watched}`,
    notificationUrl: input.notificationUrl,
    lifecycleNotificationUrl: input.lifecycleNotificationUrl,
    clientState: input.clientState,
    expirationDateTime: input.expirationDateTime,
  };
  const created = await callGraph(
    graph,
    APP_WIDE,
    `POST /subscriptions (${watched})`,
    (client) => api(client, paths.subscriptions()).post(body),
    subscriptionSchema,
  ).catch((error: unknown) => {
    // Nothing to find yet: a 404 here is about the mailbox the resource names.
    if (!isSyncError(error, 'notFound')) throw error;
    throw new SyncError('mailboxUnavailable', error.code, error.message, { status: error.status ?? 404 });
  });
  // Graph may leave clientState out of the answer; the caller's value is the one registered.
  return view({ ...created, clientState: input.clientState });
}

export async function renewSubscription(
  graph: GraphCaller,
  id: string,
  expirationDateTime: string,
): Promise<GraphSubscription> {
  const renewed = await callGraph(
    graph,
    APP_WIDE,
    'PATCH /subscriptions/{id}',
    (client) => api(client, paths.subscription(id)).patch({ expirationDateTime }),
    subscriptionSchema,
  );
  return view(renewed);
}

/**
 * `POST /subscriptions/{id}/reauthorize` (MGDC api-reference/v1.0/api/subscription-reauthorize.md:
 * 204 No Content on success). Unlike delete, a missing subscription is an error here: the
 * caller must recreate it, or notifications stop.
 */
export async function reauthorizeSubscription(graph: GraphCaller, id: string): Promise<void> {
  await callGraphNoContent(graph, APP_WIDE, 'POST /subscriptions/{id}/reauthorize', (client) =>
    api(client, paths.subscriptionReauthorize(id)).post({}),
  );
}

/** The subscription as Graph holds it, or null when Graph no longer has it. */
export async function getSubscription(graph: GraphCaller, id: string): Promise<GraphSubscription | null> {
  try {
    return view(
      await callGraph(
        graph,
        APP_WIDE,
        'GET /subscriptions/{id}',
        (client) => api(client, paths.subscription(id)).get(),
        subscriptionSchema,
      ),
    );
  } catch (error) {
    if (isSyncError(error, 'notFound')) return null;
    throw error;
  }
}

/** A subscription that is already gone (expired, removed) is not an error. */
export async function deleteSubscription(graph: GraphCaller, id: string): Promise<void> {
  try {
    await callGraphNoContent(graph, APP_WIDE, 'DELETE /subscriptions/{id}', (client) =>
      api(client, paths.subscription(id)).delete(),
    );
  } catch (error) {
    if (!isSyncError(error, 'notFound')) throw error;
  }
}

function view(s: z.output<typeof subscriptionSchema>): GraphSubscription {
  return {
    id: s.id,
    resource: s.resource,
    expirationDateTime: s.expirationDateTime,
    clientState: s.clientState ?? '',
    notificationUrl: s.notificationUrl,
    ...(s.lifecycleNotificationUrl ? { lifecycleNotificationUrl: s.lifecycleNotificationUrl } : {}),
  };
}
