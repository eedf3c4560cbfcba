import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { acceptMailNotifications } from '../shared/mail-sync/mail-intake.js';
import { acceptGraphNotifications, graphNotificationBatchSchema } from '../shared/sync/intake.js';
import { json, jsonError, readJson } from './http.js';
import { runtime } from './runtime.js';
import { validationHandshake } from './validation-token.js';

/** POST /api/graph/notifications — validate, check clientState, enqueue, answer 202. */
export async function graphNotifications(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const handshake = validationHandshake(request);
  if (handshake) return handshake;
  const body = await readJson(request, graphNotificationBatchSchema);
  if (!body.ok) return body.response;
  const rt = await runtime();
  try {
    // Message subscriptions' notifications go to the mail queue; the rest to the contact intake.
    const mail = await acceptMailNotifications(rt.mail, body.value.value);
    const contacts =
      mail.rest.length > 0
        ? await acceptGraphNotifications({ ...rt.deps, hints: rt.hints }, mail.rest)
        : { accepted: 0, rejected: 0, enqueued: 0 };
    const result = {
      accepted: contacts.accepted + mail.accepted,
      rejected: contacts.rejected + mail.rejected,
      enqueued: contacts.enqueued + mail.enqueued,
    };
    if (result.rejected > 0)
      context.warn(
        `graphNotifications: ${result.rejected} notification(s) with an unknown subscription or wrong clientState ignored`,
      );
    return json(202, result);
  } catch (error) {
    // Not queued: 5xx makes Graph deliver again later.
    context.error(`graphNotifications: could not enqueue: ${rt.redact(error)}`);
    return jsonError(503, 'QueueUnavailable', 'the notification could not be queued; retry later');
  }
}
