import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';
import { SyncError } from '../../errors.js';
import type { MailboxScheduler, RunOptions } from './mailbox-scheduler.js';

/**
 * One Graph call: scheduled on the mailbox (budget, concurrency, retries), every failure a
 * SyncError, and the answer validated once at the edge. `context` names the call by its route
 * template (`GET /users/{m}/contacts/{id}`), never by a URL with ids or tokens in it.
 */
export interface GraphCaller {
  client: Client;
  scheduler: MailboxScheduler;
}

/**
 * Outlook ids change when a user moves a contact to another folder unless the request asks
 * for immutable ids (learn.microsoft.com/graph/outlook-immutable-id: "Prefer:
 * IdType=\"ImmutableId\"" on every request, and on the subscription so notifications carry
 * them too). A moved contact would otherwise look deleted here and new there: a lost link and
 * a duplicate. `$batch` steps carry it in their own headers (contact-batch.ts).
 */
export const IMMUTABLE_ID = 'IdType="ImmutableId"';

/** `client.api(path)` with our `Prefer` preferences: immutable ids first, then any extra. */
export function api(client: Client, path: string, ...prefer: string[]): GraphRequest {
  return client.api(path).header('Prefer', [IMMUTABLE_ID, ...prefer].join(', '));
}

export async function callGraph<S extends z.ZodType>(
  graph: GraphCaller,
  mailbox: string,
  context: string,
  send: (client: Client) => Promise<unknown>,
  schema: S,
  options: Omit<RunOptions, 'context'> = {},
): Promise<z.output<S>> {
  const body = await graph.scheduler.run(mailbox, () => send(graph.client), { ...options, context });
  return parseGraphBody(context, body, schema);
}

/** Runs a call whose answer carries nothing we need (DELETE → 204). */
export async function callGraphNoContent(
  graph: GraphCaller,
  mailbox: string,
  context: string,
  send: (client: Client) => Promise<unknown>,
): Promise<void> {
  await graph.scheduler.run(mailbox, () => send(graph.client), { context });
}

export function parseGraphBody<S extends z.ZodType>(context: string, body: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new SyncError(
    'permanent',
    'graph_invalid_response',
    `${context} answered with an unexpected body: ${firstIssue(result.error)}`,
  );
}

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid';
}
