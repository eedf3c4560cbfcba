import { z } from 'zod';
import { type EmuRequest, type EmuResponse, json, type RouteArgs } from '../context.js';
import { badRequest } from '../errors.js';
import type { Route } from '../router.js';

/**
 * JSON batching: at most 20 requests with relative URLs, each answered with its own status,
 * headers and body and each passing the same checks (throttling included) as a direct call.
 * Requests run in order; one whose `dependsOn` failed gets 424 Failed Dependency.
 */
const MAX_REQUESTS = 20;

const batchBody = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

async function batch(args: RouteArgs) {
  const parsed = batchBody.safeParse(args.req.body);
  if (!parsed.success) throw badRequest('BadRequest', 'Invalid batch payload format.');
  const { requests } = parsed.data;
  if (requests.length > MAX_REQUESTS) {
    throw badRequest('BadRequest', `Number of batch request steps exceeds the maximum of ${MAX_REQUESTS}.`);
  }
  if (new Set(requests.map((r) => r.id)).size !== requests.length) {
    throw badRequest('BadRequest', 'Batch request contains duplicate request ids.');
  }
  const statuses = new Map<string, number>();
  const responses = [];
  for (const step of requests) {
    const failedDependency = (step.dependsOn ?? []).some((id) => (statuses.get(id) ?? 424) >= 400);
    const response: EmuResponse = failedDependency
      ? json(424, { error: { code: 'FailedDependency', message: 'A request it depends on failed.' } })
      : await args.env.dispatch(innerRequest(args.req, step), args.caller);
    statuses.set(step.id, response.status);
    responses.push({
      id: step.id,
      status: response.status,
      headers:
        response.json !== undefined
          ? { 'Content-Type': 'application/json', ...response.headers }
          : (response.headers ?? {}),
      body: response.json ?? response.text,
    });
  }
  return json(200, { responses });
}

function innerRequest(
  outer: EmuRequest,
  step: { method: string; url: string; headers?: Record<string, string> | undefined; body?: unknown },
): EmuRequest {
  const url = new URL(step.url.replace(/^\/?/, '/').replace(/^\/v1\.0\//i, '/'), 'https://batch.invalid');
  const headers = Object.fromEntries(
    Object.entries(step.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    method: step.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: step.body,
    requestId: crypto.randomUUID(),
    clientRequestId: outer.clientRequestId,
  };
}

export const batchRoutes: Route[] = [{ method: 'POST', template: '/$batch', handler: batch }];
