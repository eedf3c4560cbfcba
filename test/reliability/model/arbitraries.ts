import fc from 'fast-check';
import { CrmCreate, CrmDelete, CrmEdit, CrmTag } from './crm-commands.js';
import {
  CrashBeforeMirrorWrite,
  CrmFaultCommand,
  GraphFault,
  type GraphFaultSpec,
  SecondWorker,
} from './fault-commands.js';
import {
  OutlookCreate,
  OutlookDelete,
  OutlookEdit,
  OutlookMove,
  OutlookRestore,
  OutlookSoftDelete,
} from './outlook-commands.js';
import { outlookCreateSpec, outlookPatchSpec } from './outlook-values.js';
import { BulkEdit, type Command, Pause } from './user-commands.js';
import { crmCreateSpec, crmPatchSpec } from './values.js';

/** Random sequences of user actions on both sides, interleaved with faults. */

const small = fc.integer({ min: 1, max: 4 });
const target = fc.nat({ max: 63 });

const graphFault: fc.Arbitrary<GraphFaultSpec> = fc.oneof(
  small.map((count) => ({ kind: 'dropNotifications' as const, count })),
  small.map((count) => ({ kind: 'duplicateNotifications' as const, count })),
  fc.record({ count: small, ms: fc.integer({ min: 50, max: 600 }) }).map((f) => ({
    kind: 'delayNotifications' as const,
    ...f,
  })),
  fc.integer({ min: 2, max: 4 }).map((count) => ({ kind: 'reorderNotifications' as const, count })),
  fc
    .record({ status: fc.constantFrom(429 as const, 503 as const), count: fc.integer({ min: 1, max: 6 }) })
    .map((f) => ({ kind: 'status' as const, ...f })),
  fc.constant({ kind: 'expireDeltaTokens' as const }),
  fc.constant({ kind: 'removeSubscription' as const }),
  // Issue 13: Exchange as it really behaves.
  small.map((count) => ({ kind: 'dropNotifications' as const, count, missed: true })),
  fc
    .record({ minMs: fc.integer({ min: 0, max: 200 }), spread: fc.integer({ min: 0, max: 600 }) })
    .map(({ minMs, spread }) => ({ kind: 'notificationLatency' as const, minMs, maxMs: minMs + spread })),
  small.map((count) => ({ kind: 'silentDeletes' as const, count })),
  small.map((count) => ({ kind: 'repeatDeltaItems' as const, count })),
  fc.constant({ kind: 'lifecycle' as const, event: 'reauthorizationRequired' as const, pause: true }),
  fc.constant({ kind: 'lifecycle' as const, event: 'missed' as const }),
  fc.constant({ kind: 'expireSubscription' as const }),
  fc
    .record({
      retryAfter: fc.constantFrom('missing' as const, 'one' as const),
      scope: fc.constantFrom('mailbox' as const, 'app' as const),
    })
    .map((f) => ({ kind: 'throttle' as const, ...f })),
  fc
    .record({ status: fc.constantFrom(503 as const, 504 as const), count: fc.integer({ min: 1, max: 4 }) })
    .map((f) => ({ kind: 'status' as const, ...f })),
  fc
    .record({
      as: fc.constantFrom(
        'MailboxNotEnabledForRESTAPI' as const,
        'ResourceNotFound' as const,
        'ErrorAccessDenied' as const,
      ),
      ms: fc.integer({ min: 100, max: 1500 }),
    })
    .map((f) => ({ kind: 'mailboxOutage' as const, ...f })),
);

const crmFault = fc.oneof(
  fc
    .record({ status: fc.constantFrom(500 as const, 503 as const), count: fc.integer({ min: 1, max: 6 }) })
    .map((f) => ({ kind: 'status' as const, ...f })),
  small.map((count) => ({ kind: 'duplicateEvents' as const, count })),
  fc.integer({ min: 2, max: 4 }).map((count) => ({ kind: 'reorderEvents' as const, count })),
  small.map((count) => ({ kind: 'dropEvents' as const, count })),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(crmCreateSpec, fc.boolean()).map(([s, t]) => new CrmCreate(s, t)) },
  { weight: 4, arbitrary: fc.tuple(target, crmPatchSpec).map(([n, s]) => new CrmEdit(n, s)) },
  { weight: 2, arbitrary: fc.tuple(target, fc.boolean()).map(([n, on]) => new CrmTag(n, on)) },
  { weight: 1, arbitrary: target.map((n) => new CrmDelete(n)) },
  { weight: 3, arbitrary: outlookCreateSpec.map((s) => new OutlookCreate(s)) },
  { weight: 4, arbitrary: fc.tuple(target, outlookPatchSpec).map(([n, s]) => new OutlookEdit(n, s)) },
  { weight: 1, arbitrary: target.map((n) => new OutlookDelete(n)) },
  { weight: 2, arbitrary: target.map((n) => new OutlookMove(n)) },
  { weight: 1, arbitrary: target.map((n) => new OutlookSoftDelete(n)) },
  { weight: 1, arbitrary: target.map((n) => new OutlookRestore(n)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('crm' as const, 'outlook' as const),
        fc.constantFrom('Bulk AG', 'Neu GmbH', null),
      )
      .map(([side, value]) => new BulkEdit(side, value)),
  },
  { weight: 2, arbitrary: fc.integer({ min: 20, max: 500 }).map((ms) => new Pause(ms)) },
  { weight: 4, arbitrary: graphFault.map((f) => new GraphFault(f)) },
  { weight: 2, arbitrary: crmFault.map((f) => new CrmFaultCommand(f)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => new CrashBeforeMirrorWrite()) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('reconcile' as const, 'exchangeChanged' as const, 'crmChanged' as const), target)
      .map(([kind, n]) => new SecondWorker(kind, n)),
  },
);

export function commandSequences(maxCommands: number, replayPath?: string) {
  return fc.commands([command], { maxCommands, size: 'max', ...(replayPath ? { replayPath } : {}) });
}
