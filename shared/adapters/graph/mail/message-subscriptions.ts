import type { GraphSubscription } from '../../../ports.js';
import type { GraphCaller } from '../graph-call.js';
import { createSubscription, type SubscriptionInput } from '../graph-subscriptions.js';

/**
 * A change-notification subscription on a mailbox's messages (`users/{id}/messages`: every
 * mail folder of the mailbox, "Change notifications for Outlook resources"), created with
 * immutable ids so notifications name the ids delta returns. Its lifetime cap is the one of
 * contacts (10,080 minutes, graph-azure-facts.md); create, renew, get and delete are the
 * contact subscription's calls (graph-subscriptions.ts), a subscription being a subscription.
 */
export type MessageSubscriptionInput = SubscriptionInput;

export function createMessageSubscription(
  graph: GraphCaller,
  input: MessageSubscriptionInput,
): Promise<GraphSubscription> {
  return createSubscription(graph, input, 'messages');
}
