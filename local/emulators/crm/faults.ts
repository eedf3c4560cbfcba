import { z } from 'zod';

/**
 * Injected faults. Request faults hit the next `count` API requests (/crm/…, not the admin
 * API); event faults hit the next `count` events (for every webhook alike).
 */
export const crmFaultSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('status'),
      status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
      count: z.number().int().positive(),
      /** Sent as `Retry-After` (seconds) when given. */
      retryAfterSeconds: z.number().int().nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('slow'),
      ms: z.number().int().nonnegative().max(60_000),
      count: z.number().int().positive(),
    })
    .strict(),
  z.object({ kind: z.literal('duplicateEvents'), count: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('reorderEvents'), count: z.number().int().min(2) }).strict(),
  z.object({ kind: z.literal('dropEvents'), count: z.number().int().positive() }).strict(),
]);
export type CrmFault = z.infer<typeof crmFaultSchema>;

type RequestFault = Extract<CrmFault, { kind: 'status' | 'slow' }>;
export type EventFaultKind = Extract<CrmFault, { kind: `${string}Events` }>['kind'];

export class Faults {
  private requestFaults: RequestFault[] = [];
  private readonly eventFaults = new Map<EventFaultKind, number>();

  add(fault: CrmFault): void {
    if (fault.kind === 'status' || fault.kind === 'slow') this.requestFaults.push({ ...fault });
    else this.eventFaults.set(fault.kind, (this.eventFaults.get(fault.kind) ?? 0) + fault.count);
  }

  clear(): void {
    this.requestFaults = [];
    this.eventFaults.clear();
  }

  /** The fault the next API request meets, if any; faults queue up in the order injected. */
  takeRequestFault(): RequestFault | undefined {
    const fault = this.requestFaults[0];
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.requestFaults.shift();
    return fault;
  }

  remaining(kind: EventFaultKind): number {
    return this.eventFaults.get(kind) ?? 0;
  }

  /** True (and one use consumed) when the next event is subject to `kind`. */
  takeEventFault(kind: EventFaultKind): boolean {
    const left = this.eventFaults.get(kind) ?? 0;
    if (left <= 0) return false;
    this.eventFaults.set(kind, left - 1);
    return true;
  }
}
