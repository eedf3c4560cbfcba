import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { acceptMailLifecycleEvents } from '../shared/mail-sync/mail-intake.js';
import { acceptLifecycleEvents, lifecycleBatchSchema } from '../shared/sync/intake.js';
import { json, jsonError, readJson } from './http.js';
import { runtime } from './runtime.js';
import { validationHandshake } from './validation-token.js';

/** POST /api/graph/lifecycle — reauthorizationRequired / subscriptionRemoved → account tasks; missed → a delta round. */
export async function graphLifecycle(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const handshake = validationHandshake(request);
  if (handshake) return handshake;
  const body = await readJson(request, lifecycleBatchSchema);
  if (!body.ok) return body.response;
  const rt = await runtime();
  try {
    const mail = await acceptMailLifecycleEvents(rt.mail, body.value.value);
    const contacts =
      mail.rest.length > 0
        ? await acceptLifecycleEvents({ ...rt.deps, hints: rt.hints }, mail.rest)
        : { accepted: 0, rejected: 0, enqueued: 0 };
    const result = {
      accepted: contacts.accepted + mail.accepted,
      rejected: contacts.rejected + mail.rejected,
      enqueued: contacts.enqueued + mail.enqueued,
    };
    if (result.rejected > 0)
      context.warn(
        `graphLifecycle: ${result.rejected} event(s) with an unknown subscription or wrong clientState ignored`,
      );
    return json(202, result);
  } catch (error) {
    context.error(`graphLifecycle: could not enqueue: ${rt.redact(error)}`);
    return jsonError(503, 'QueueUnavailable', 'the lifecycle event could not be queued; retry later');
  }
}
