import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { verifyCrmSignature } from '../shared/adapters/crm/signature.js';
import { crmEventSchema } from '../shared/contact/crm-contact.js';
import { acceptCrmEvent } from '../shared/sync/intake.js';
import { json, jsonError, parseJson, readRawBytes } from './http.js';
import { runtime } from './runtime.js';

/** POST /api/crm/events — HMAC signature over "<timestamp>.<raw body>", then enqueue. */
export async function crmEvents(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readRawBytes(request);
  if (!body.ok) return body.response;
  const rt = await runtime();
  const check = verifyCrmSignature({
    // While CRM_WEBHOOK_SECRET_PREVIOUS is set (a rotation, DEPLOY.md), both secrets are valid.
    secret: [
      rt.config.crm.webhookSecret,
      ...(rt.config.crm.previousWebhookSecret ? [rt.config.crm.previousWebhookSecret] : []),
    ],
    timestamp: request.headers.get('x-crm-timestamp'),
    signature: request.headers.get('x-crm-signature'),
    rawBody: body.bytes,
    now: rt.deps.wallClock.now(), // the CRM signs with real time
  });
  if (!check.ok) return jsonError(401, 'InvalidSignature', `the event signature is ${check.reason}`);
  const event = parseJson(body.bytes.toString('utf8'), crmEventSchema);
  if (!event.ok) return event.response;
  try {
    const outcome = await acceptCrmEvent({ ...rt.deps, ownWrites: rt.ownWrites }, event.value);
    return json(202, { accepted: true, ...(outcome === 'echo' ? { echo: true } : {}) });
  } catch (error) {
    context.error(`crmEvents: could not enqueue: ${rt.redact(error)}`);
    return jsonError(503, 'QueueUnavailable', 'the event could not be queued; retry later');
  }
}
