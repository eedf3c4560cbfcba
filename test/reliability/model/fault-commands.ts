import type { CrmFault } from '../../../local/emulators/crm/index.js';
import type { Fault } from '../../../local/emulators/graph/index.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { handleMessage } from '../../../shared/sync/worker.js';
import { count, crmContactsOf, type Run, type RunModel } from './model.js';
import type { Command } from './user-commands.js';

/**
 * Faults interleaved with the users' actions: what Microsoft's and the CRM's delivery does
 * (drop, duplicate, delay, reorder, throttle, fail, expire, remove), a worker killed between a
 * remote write and the mirror write, and a second worker on the same account.
 */
abstract class FaultCommand implements Command {
  check(): boolean {
    return true;
  }
  /** Counted as one action; `act` does the work. */
  async run(model: RunModel, run: Run): Promise<void> {
    run.stats.actions++;
    await this.act(model, run);
  }
  abstract act(model: RunModel, run: Run): Promise<void>;
  abstract toString(): string;
}

/**
 * A Graph emulator fault; `mailbox` and `subscription` are filled in for the run's account.
 * `mailboxOutage` makes the mailbox unavailable (as Graph answers then) for `ms`, then gives it
 * back, in the background: the drain waits for it.
 */
export type GraphFaultSpec =
  | Exclude<
      Fault,
      {
        kind:
          | 'expireDeltaTokens'
          | 'removeSubscription'
          | 'expireSubscription'
          | 'lifecycle'
          | 'mailboxUnavailable'
          | 'mailboxAvailable';
      }
    >
  | { kind: 'expireDeltaTokens' }
  | { kind: 'removeSubscription' }
  | { kind: 'expireSubscription' }
  | {
      kind: 'lifecycle';
      event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
      pause?: boolean;
    }
  | {
      kind: 'mailboxOutage';
      as: 'MailboxNotEnabledForRESTAPI' | 'ResourceNotFound' | 'ErrorAccessDenied';
      ms: number;
    };

function graphFaultName(spec: GraphFaultSpec): string {
  switch (spec.kind) {
    case 'status':
      return `graph ${spec.status} burst${spec.retryAfter === undefined ? '' : ` (Retry-After ${spec.retryAfter})`}`;
    case 'lifecycle':
      return `graph lifecycle ${spec.event}${spec.event === 'reauthorizationRequired' && spec.pause !== false ? ' (delivery paused)' : ''}`;
    case 'throttle':
      return `graph throttle (Retry-After ${spec.retryAfter ?? 'seconds'}${spec.scope ? `, per ${spec.scope}` : ''})`;
    case 'mailboxOutage':
      return `graph mailbox unavailable (${spec.as})`;
    case 'dropNotifications':
      return spec.missed ? 'graph dropNotifications (+ missed)' : 'graph dropNotifications';
    default:
      return `graph ${spec.kind}`;
  }
}

export class GraphFault extends FaultCommand {
  constructor(readonly spec: GraphFaultSpec) {
    super();
  }
  async act(_model: RunModel, run: Run) {
    const admin = run.stack.graph.admin;
    if (this.spec.kind === 'expireDeltaTokens') {
      await admin.fault({ kind: 'expireDeltaTokens', mailbox: run.mailbox });
    } else if (
      this.spec.kind === 'removeSubscription' ||
      this.spec.kind === 'expireSubscription' ||
      this.spec.kind === 'lifecycle'
    ) {
      const account = await run.stack.runtime.deps.accounts.get(run.accountId);
      const id = account?.value.subscription?.id;
      if (!id || !admin.subscriptions().some((s) => s.id === id)) return void run.stats.noops++;
      await admin.fault(
        this.spec.kind === 'lifecycle'
          ? { kind: 'lifecycle', id, event: this.spec.event, pause: this.spec.pause ?? true }
          : { kind: this.spec.kind, id },
      );
    } else if (this.spec.kind === 'mailboxOutage') {
      const { as, ms } = this.spec;
      await admin.fault({ kind: 'mailboxUnavailable', mailbox: run.mailbox, as });
      run.background.push(
        new Promise((resolve) => setTimeout(resolve, ms)).then(() =>
          admin.fault({ kind: 'mailboxAvailable', mailbox: run.mailbox }),
        ),
      );
    } else {
      await admin.fault(this.spec);
    }
    count(run.stats.faults, graphFaultName(this.spec));
  }
  toString() {
    return `GraphFault(${JSON.stringify(this.spec)})`;
  }
}

export class CrmFaultCommand extends FaultCommand {
  constructor(readonly spec: CrmFault) {
    super();
  }
  async act(_model: RunModel, run: Run) {
    run.stack.crm.admin.injectFault(this.spec);
    count(
      run.stats.faults,
      this.spec.kind === 'status' ? `crm ${this.spec.status} burst` : `crm ${this.spec.kind}`,
    );
  }
  toString() {
    return `CrmFault(${JSON.stringify(this.spec)})`;
  }
}

/** Arms the crash hook (crash-hooks.ts): the next mirror write after a remote write fails once. */
export class CrashBeforeMirrorWrite extends FaultCommand {
  async act(_model: RunModel, run: Run) {
    run.crash.armed = true;
    run.crash.remoteWrote = false;
    run.crash.created.clear();
    count(run.stats.faults, 'crash before mirror write (armed)');
  }
  toString() {
    return 'CrashBeforeMirrorWrite()';
  }
}

/**
 * A second worker on the same account: `handleMessage` runs in this process, next to the host's
 * queue consumer, with the same adapters. The lease must keep them from writing at once.
 */
export class SecondWorker extends FaultCommand {
  constructor(
    readonly kind: 'reconcile' | 'exchangeChanged' | 'crmChanged',
    readonly target: number,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const base = { v: 1 as const, accountId: run.accountId, sessionKey: run.accountId };
    const dedupeId = `second-worker:${Date.now()}:${Math.random()}`;
    let message: QueueMessage;
    if (this.kind === 'reconcile') message = { ...base, dedupeId, kind: 'reconcile', full: true };
    else if (this.kind === 'exchangeChanged')
      message = {
        ...base,
        dedupeId,
        kind: 'exchangeChanged',
        folderId: null,
        reason: 'second worker',
        at: new Date().toISOString(),
      };
    else {
      const token = model.pick(this.target);
      const contact = token ? crmContactsOf(run, token.token)[0] : undefined;
      if (!contact) return void run.stats.noops++;
      message = { ...base, dedupeId, kind: 'crmChanged', contactId: contact.id, version: contact.version };
    }
    count(run.stats.faults, `second worker (${this.kind})`);
    run.background.push(
      handleMessage(run.stack.runtime.deps, message).catch(() => {
        // Like a queue message that failed for good: a lost hint, which reconcile catches up.
        count(run.stats.faults, `second worker (${this.kind}) failed`);
      }),
    );
  }
  toString() {
    return `SecondWorker(${this.kind}, #${this.target})`;
  }
}
