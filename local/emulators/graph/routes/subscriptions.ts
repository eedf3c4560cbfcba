import { z } from 'zod';
import { json, type RouteArgs } from '../context.js';
import { badRequest, GraphHttpError } from '../errors.js';
import { wantsImmutableIds } from '../id-type.js';
import type { Route } from '../router.js';
import type { ChangeType } from '../store.js';
import { type Subscription, subscriptionView } from '../subscriptions.js';
import { validateEndpoint } from '../validation-handshake.js';
import { folderFor, mailboxFor } from './lookup.js';

/**
 * `/subscriptions`: create (with the validation handshake on both URLs), list, get, renew by
 * PATCH, delete, reauthorize. Lifetime for Outlook contacts: at most 10,080 minutes by default
 * (the emulator option `subscriptionMaxMinutes`: the current subscription-lifetime include
 * says "10,080 minutes (under seven days)" for contacts, older pages 4,230); shorter than 45
 * minutes is raised to 45, as the subscription resource page says. A subscription created
 * with `Prefer: IdType="ImmutableId"` notifies immutable ids ("Immutable ID with change
 * notifications"); reauthorize and renew both resume a delivery paused for reauthorization
 * ("Responding to reauthorizationRequired notifications").
 */
const MIN_MINUTES = 45;
const RESOURCE = /^\/?(?:users)\/([^/]+)\/(?:contacts|contactFolders\/([^/]+)\/contacts)$/i;
/** The mailbox's messages, every folder ("Change notifications for Outlook resources": `/users/{id}/messages`). */
const MESSAGES = /^\/?users\/([^/]+)\/messages$/i;
const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;

const createBody = z.object({
  changeType: z.string(),
  notificationUrl: z.string().url(),
  lifecycleNotificationUrl: z.string().url().nullable().optional(),
  resource: z.string(),
  expirationDateTime: z.string(),
  clientState: z.string().nullable().optional(),
  includeResourceData: z.boolean().optional(),
  latestSupportedTlsVersion: z.string().optional(),
});

const invalid = (message: string) => badRequest('InvalidRequest', message);

function expiration(raw: string, now: Date, maxMinutes: number): Date {
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw invalid(`Invalid expirationDateTime '${raw}'.`);
  const minutes = (at.getTime() - now.getTime()) / 60_000;
  if (minutes <= 0)
    throw badRequest('ExtensionError', 'Subscription expiration date time must be in the future.');
  if (minutes > maxMinutes) {
    throw badRequest(
      'ExtensionError',
      `Operation: Create; Exception: [Status Code: BadRequest; Reason: Subscription expiration can only be ${maxMinutes} minutes in the future.]`,
    );
  }
  return minutes < MIN_MINUTES ? new Date(now.getTime() + MIN_MINUTES * 60_000) : at;
}

function changeTypes(raw: string): ChangeType[] {
  const types = raw.split(',').map((t) => t.trim());
  if (types.length === 0 || types.some((t) => !(CHANGE_TYPES as readonly string[]).includes(t))) {
    throw invalid(`Invalid changeType '${raw}'. Allowed: created, updated, deleted.`);
  }
  return types as ChangeType[];
}

async function create(args: RouteArgs) {
  const { env, caller } = args;
  const parsed = createBody.safeParse(args.req.body);
  if (!parsed.success)
    throw invalid(`Invalid subscription: ${parsed.error.issues[0]?.path.join('.')} is missing or invalid.`);
  const body = parsed.data;
  if (body.includeResourceData) throw invalid('includeResourceData is not supported by this emulator.');
  const messages = body.resource.match(MESSAGES);
  const match = messages ?? body.resource.match(RESOURCE);
  if (!match?.[1]) throw invalid(`Resource '${body.resource}' is not supported for change notifications.`);
  const mailbox = mailboxFor(env, caller, match[1]);
  const folderId = !messages && match[2] ? folderFor(env, mailbox, match[2]).id : null;
  if ((body.clientState ?? '').length > 128) throw invalid('clientState must be at most 128 characters.');
  // "This URL must make use of the HTTPS protocol" (subscription resource, notificationUrl);
  // Graph answers "NotificationUrl scheme='http' is not supported." (microsoft-graph-docs#2751),
  // and the same for the lifecycle URL, before any validation request is sent.
  for (const [name, url] of [
    ['NotificationUrl', body.notificationUrl],
    ['LifecycleNotificationUrl', body.lifecycleNotificationUrl],
  ] as const) {
    const scheme = url ? new URL(url).protocol.replace(/:$/, '') : 'https';
    if (scheme !== 'https') throw invalid(`${name} scheme='${scheme}' is not supported.`);
  }
  const types = changeTypes(body.changeType);
  const expirationDateTime = expiration(body.expirationDateTime, env.now(), env.subscriptionMaxMinutes);
  for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
    if (url && !(await validateEndpoint(url))) {
      throw new GraphHttpError(
        400,
        'ValidationError',
        'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
      );
    }
  }
  const subscription: Subscription = {
    id: crypto.randomUUID(),
    resource: body.resource,
    ...(messages ? { kind: 'messages' as const } : {}),
    changeTypes: types,
    notificationUrl: body.notificationUrl,
    lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
    expirationDateTime,
    clientState: body.clientState ?? null,
    tenantId: caller.tenantId,
    appId: caller.appId,
    mailboxId: mailbox.id,
    folderId,
    creatorId: crypto.randomUUID(),
    immutableIds: wantsImmutableIds(args.req.headers),
    pauseAt: null,
    challengedFor: null,
  };
  env.subscriptions.add(subscription);
  return json(201, {
    '@odata.context': `${env.origin}/v1.0/$metadata#subscriptions/$entity`,
    ...subscriptionView(subscription),
  });
}

function owned(args: RouteArgs): Subscription {
  const subscription = args.env.subscriptions.get(args.params['id'] ?? '');
  if (
    !subscription ||
    subscription.appId !== args.caller.appId ||
    subscription.tenantId !== args.caller.tenantId
  ) {
    throw new GraphHttpError(404, 'ResourceNotFound', `The object was not found.`);
  }
  return subscription;
}

function renew(args: RouteArgs) {
  const subscription = owned(args);
  const parsed = z.object({ expirationDateTime: z.string() }).safeParse(args.req.body);
  if (!parsed.success) throw invalid('Only expirationDateTime can be updated.');
  subscription.expirationDateTime = expiration(
    parsed.data.expirationDateTime,
    args.env.now(),
    args.env.subscriptionMaxMinutes,
  );
  args.env.subscriptions.reauthorize(subscription);
  return json(200, subscriptionView(subscription));
}

export const subscriptionRoutes: Route[] = [
  { method: 'POST', template: '/subscriptions', handler: create },
  {
    method: 'GET',
    template: '/subscriptions',
    handler: ({ env, caller }) =>
      json(200, {
        '@odata.context': `${env.origin}/v1.0/$metadata#subscriptions`,
        value: env.subscriptions
          .all()
          .filter((s) => s.appId === caller.appId && s.tenantId === caller.tenantId)
          .map(subscriptionView),
      }),
  },
  { method: 'GET', template: '/subscriptions/{id}', handler: (a) => json(200, subscriptionView(owned(a))) },
  { method: 'PATCH', template: '/subscriptions/{id}', handler: renew },
  {
    method: 'DELETE',
    template: '/subscriptions/{id}',
    handler: (a) => {
      a.env.subscriptions.delete(owned(a).id);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    template: '/subscriptions/{id}/reauthorize',
    handler: (a) => {
      a.env.subscriptions.reauthorize(owned(a));
      return { status: 204 };
    },
  },
];
