import { z } from 'zod';
import { type EmuRequest, type EmuResponse, json, type RouteArgs } from '../context.js';
import { badRequest } from '../errors.js';
import type { Route } from '../router.js';

/**
 * JSON batching ("Combine multiple HTTP requests using JSON batching"): at most 20 requests
 * with relative URLs, each answered with its own status, headers and body and each passing
 * the same checks (throttling included) as a direct call. Validation rejects the whole batch
 * with 400, with the messages Graph gives:
 * - ids are "Not case-sensitive. Must be unique in the batch": "Request Id A has to be unique
 *   in a batch." (microsoft-graph-docs#4449);
 * - "When a body is included with the request, the headers object must contain a value for
 *   Content-Type", and a write needs a body: "Write request id : 1 does not contain
 *   Content-Type header or body." (the message quoted in pnp/pnpcore);
 * - `dependsOn` must name an earlier request: "Invalid dependency for request Id …"
 *   (msgraph-sdk-dotnet-core#891).
 * Requests without dependencies run up to 4 at once, as Outlook runs them ("Throttling and
 * batching": "at most 4 unordered requests at a time"); one whose dependency failed gets 424.
 * Responses come in completion order ("Individual responses might appear in a different
 * order than the requests").
 */
const MAX_REQUESTS = 20;
const PARALLEL = 4;
const WRITES = new Set(['POST', 'PATCH', 'PUT']);

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

type Step = z.infer<typeof batchBody>['requests'][number];

function validate(requests: Step[]): void {
  if (requests.length > MAX_REQUESTS) {
    throw badRequest('BadRequest', `Number of batch request steps exceeds the maximum of ${MAX_REQUESTS}.`);
  }
  const seen = new Set<string>();
  for (const step of requests) {
    const key = step.id.toLowerCase();
    if (seen.has(key)) throw badRequest('BadRequest', `Request Id ${step.id} has to be unique in a batch.`);
    for (const dependency of step.dependsOn ?? []) {
      if (!seen.has(dependency.toLowerCase())) {
        throw badRequest('BadRequest', `Invalid dependency for request Id ${step.id}: ${dependency}.`);
      }
    }
    seen.add(key);
    const hasContentType = Object.keys(step.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    const hasBody = step.body !== undefined;
    if (
      (hasBody && !hasContentType) ||
      (WRITES.has(step.method.toUpperCase()) && (!hasBody || !hasContentType))
    ) {
      throw badRequest(
        'BadRequest',
        `Write request id : ${step.id} does not contain Content-Type header or body.`,
      );
    }
  }
}

async function batch(args: RouteArgs) {
  const parsed = batchBody.safeParse(args.req.body);
  if (!parsed.success) throw badRequest('BadRequest', 'Invalid batch payload format.');
  const { requests } = parsed.data;
  validate(requests);
  const statuses = new Map<string, number>();
  const responses: unknown[] = [];
  const waiting = [...requests];
  const running = new Set<Promise<void>>();
  const ready = (step: Step) => (step.dependsOn ?? []).every((d) => statuses.has(d.toLowerCase()));
  const run = async (step: Step) => {
    const failedDependency = (step.dependsOn ?? []).some(
      (d) => (statuses.get(d.toLowerCase()) ?? 424) >= 400,
    );
    const response: EmuResponse = failedDependency
      ? json(424, { error: { code: 'FailedDependency', message: 'A request it depends on failed.' } })
      : await args.env.dispatch(innerRequest(args.req, step), args.caller);
    statuses.set(step.id.toLowerCase(), response.status);
    responses.push({
      id: step.id,
      status: response.status,
      headers:
        response.json !== undefined
          ? { 'Content-Type': 'application/json', ...response.headers }
          : (response.headers ?? {}),
      body: response.json ?? response.text,
    });
  };
  while (waiting.length > 0 || running.size > 0) {
    for (let i = 0; i < waiting.length && running.size < PARALLEL; ) {
      const step = waiting[i];
      if (step && ready(step)) {
        waiting.splice(i, 1);
        const task: Promise<void> = run(step).finally(() => running.delete(task));
        running.add(task);
      } else {
        i++;
      }
    }
    if (running.size > 0) await Promise.race(running);
  }
  return json(200, { responses });
}

function innerRequest(
  outer: EmuRequest,
  step: { method: string; url: string; headers?: Record<string, string> | undefined; body?: unknown },
): EmuRequest {
  const url = new URL(
    step.url.replace(/^\/?/, '/').replace(/^\/(?:v1\.0|beta)\//i, '/'),
    'https://batch.invalid',
  );
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
    version: outer.version ?? 'v1.0',
    clientRequestId: outer.clientRequestId,
  };
}

export const batchRoutes: Route[] = [{ method: 'POST', template: '/$batch', handler: batch }];
