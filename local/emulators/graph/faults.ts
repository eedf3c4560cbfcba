import { z } from 'zod';

/**
 * Everything only Microsoft or a tenant admin can make happen, as admin-API input. Validated
 * here once; `FaultState` keeps the ones that act on later requests and deliveries.
 */
const count = z.number().int().positive().default(1);

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dropNotifications'), count }),
  z.object({ kind: z.literal('duplicateNotifications'), count }),
  z.object({ kind: z.literal('delayNotifications'), count, ms: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('reorderNotifications'), count: z.number().int().min(2).default(2) }),
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(429), z.literal(500), z.literal(503), z.literal(504)]),
    count,
    /** Substring of the route (`GET /users/{m}/contacts`) the burst applies to; all Graph routes if absent. */
    route: z.string().optional(),
    retryAfter: z.number().int().nonnegative().default(0),
  }),
  z.object({ kind: z.literal('expireDeltaTokens'), mailbox: z.string().optional() }),
  z.object({ kind: z.literal('removeSubscription'), id: z.string() }),
  z.object({ kind: z.literal('expireSubscription'), id: z.string() }),
  z.object({
    kind: z.literal('lifecycle'),
    id: z.string(),
    event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
  }),
  z.object({
    kind: z.literal('revokeConsent'),
    tenantId: z.string().optional(),
    /** Where missing consent shows: Graph 403 (default, as for app-only tokens) or the token endpoint. */
    at: z.enum(['graph', 'token']).default('graph'),
  }),
  z.object({ kind: z.literal('grantConsent'), tenantId: z.string().optional() }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().nonnegative() }),
]);

export type Fault = z.input<typeof faultSchema>;

export interface StatusBurst {
  status: number;
  remaining: number;
  route?: string | undefined;
  retryAfter: number;
}

export interface NotificationFaults {
  drop: number;
  duplicate: number;
  delay: { count: number; ms: number };
  reorder: number;
}

export class FaultState {
  notifications: NotificationFaults = { drop: 0, duplicate: 0, delay: { count: 0, ms: 0 }, reorder: 0 };
  bursts: StatusBurst[] = [];
  revokedConsent = new Map<string, 'graph' | 'token'>();
  latencyMs = 0;

  reset(latencyMs: number): void {
    this.notifications = { drop: 0, duplicate: 0, delay: { count: 0, ms: 0 }, reorder: 0 };
    this.bursts = [];
    this.revokedConsent.clear();
    this.latencyMs = latencyMs;
  }

  /** The burst status for this route, consuming one from its count. */
  takeBurst(route: string): StatusBurst | undefined {
    const burst = this.bursts.find((b) => b.remaining > 0 && (!b.route || route.includes(b.route)));
    if (burst) burst.remaining--;
    this.bursts = this.bursts.filter((b) => b.remaining > 0);
    return burst;
  }
}
