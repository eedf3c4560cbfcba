import { z } from 'zod';

/**
 * Everything only Microsoft or a tenant admin can make happen, as admin-API input. Validated
 * here once; `FaultState` keeps the ones that act on later requests and deliveries.
 */
const count = z.number().int().positive().default(1);

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dropNotifications'),
    count,
    /** Also post a `missed` lifecycle event for each drop, as Graph does when it drops (lifecycle events page). */
    missed: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('duplicateNotifications'), count }),
  z.object({ kind: z.literal('delayNotifications'), count, ms: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('reorderNotifications'), count: z.number().int().min(2).default(2) }),
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(429), z.literal(500), z.literal(503), z.literal(504)]),
    count,
    /** Substring of the route (`GET /users/{m}/contacts`) the burst applies to; all Graph routes if absent. */
    route: z.string().optional(),
    /** Seconds; absent: no header on 5xx, the throttle's Retry-After mode on 429. */
    retryAfter: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('expireDeltaTokens'), mailbox: z.string().optional() }),
  z.object({ kind: z.literal('removeSubscription'), id: z.string() }),
  z.object({ kind: z.literal('expireSubscription'), id: z.string() }),
  z.object({
    kind: z.literal('lifecycle'),
    id: z.string(),
    event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
    /** reauthorizationRequired only: pause delivery until reauthorize or renew (default true). */
    pause: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal('revokeConsent'),
    tenantId: z.string().optional(),
    /** Where missing consent shows: Graph 403 (default, as for app-only tokens) or the token endpoint. */
    at: z.enum(['graph', 'token']).default('graph'),
  }),
  z.object({ kind: z.literal('grantConsent'), tenantId: z.string().optional() }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('mailboxUnavailable'),
    mailbox: z.string().min(1),
    as: z.enum(['MailboxNotEnabledForRESTAPI', 'ResourceNotFound', 'ErrorAccessDenied']),
  }),
  z.object({ kind: z.literal('mailboxAvailable'), mailbox: z.string().min(1) }),
  z.object({ kind: z.literal('repeatDeltaItems'), count }),
  z.object({ kind: z.literal('silentDeletes'), count }),
  z.object({
    kind: z.literal('notificationLatency'),
    minMs: z.number().int().nonnegative(),
    maxMs: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('throttle'),
    concurrency: z.number().int().positive().optional(),
    scope: z.enum(['mailbox', 'app']).optional(),
    retryAfter: z.enum(['seconds', 'missing', 'one']).optional(),
  }),
  z.object({ kind: z.literal('advanceClock'), ms: z.number().int().nonnegative() }),
]);

export type Fault = z.input<typeof faultSchema>;

export interface StatusBurst {
  status: number;
  remaining: number;
  route?: string | undefined;
  retryAfter?: number | undefined;
}

export type UnavailableAs = 'MailboxNotEnabledForRESTAPI' | 'ResourceNotFound' | 'ErrorAccessDenied';

export interface NotificationFaults {
  drop: number;
  duplicate: number;
  delay: { count: number; ms: number };
  reorder: number;
}

export class FaultState {
  notifications: NotificationFaults = { drop: 0, duplicate: 0, delay: { count: 0, ms: 0 }, reorder: 0 };
  /** Drops that also post `missed`. */
  dropMissed = false;
  bursts: StatusBurst[] = [];
  revokedConsent = new Map<string, 'graph' | 'token'>();
  latencyMs = 0;
  /** Mailbox id → how Graph answers for it while it is unavailable. */
  unavailable = new Map<string, UnavailableAs>();
  deltaRepeats = 0;
  silentDeletes = 0;

  reset(latencyMs: number): void {
    this.notifications = { drop: 0, duplicate: 0, delay: { count: 0, ms: 0 }, reorder: 0 };
    this.dropMissed = false;
    this.bursts = [];
    this.revokedConsent.clear();
    this.latencyMs = latencyMs;
    this.unavailable.clear();
    this.deltaRepeats = 0;
    this.silentDeletes = 0;
  }

  takeDeltaRepeat(): boolean {
    if (this.deltaRepeats <= 0) return false;
    this.deltaRepeats--;
    return true;
  }

  takeSilentDelete(): boolean {
    if (this.silentDeletes <= 0) return false;
    this.silentDeletes--;
    return true;
  }

  /** The burst status for this route, consuming one from its count. */
  takeBurst(route: string): StatusBurst | undefined {
    const burst = this.bursts.find((b) => b.remaining > 0 && (!b.route || route.includes(b.route)));
    if (burst) burst.remaining--;
    this.bursts = this.bursts.filter((b) => b.remaining > 0);
    return burst;
  }
}
