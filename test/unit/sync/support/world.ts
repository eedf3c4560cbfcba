import type { Account } from '../../../../shared/accounts/account.js';
import { InMemorySecretStore } from '../../../../shared/adapters/secrets/in-memory-secrets.js';
import type { Clock } from '../../../../shared/ports.js';
import type { QueueMessage } from '../../../../shared/queue-message.js';
import type { SyncDeps, SyncSettings } from '../../../../shared/sync/deps.js';
import type { ContactLink } from '../../../../shared/sync/link.js';
import { emptyTally } from '../../../../shared/sync/outcome.js';
import { OwnCrmWrites, rememberingOwnWrites } from '../../../../shared/sync/own-writes.js';
import { handleMessage, type WorkResult } from '../../../../shared/sync/worker.js';
import { CRM_WRITES, FakeCrmContacts } from '../../../fakes/crm-contacts.js';
import { EXCHANGE_WRITES, FakeExchangeContacts } from '../../../fakes/exchange-contacts.js';
import { InMemoryAccounts } from '../../../fakes/in-memory-accounts.js';
import { InMemoryLease } from '../../../fakes/in-memory-lease.js';
import { InMemoryMirror } from '../../../fakes/in-memory-mirror.js';
import { InMemoryQueue } from '../../../fakes/in-memory-queue.js';
import { account as accountOf } from './builders.js';

/** A clock that moves one second forward on every reading, so every write has its own instant. */
export class TickingClock implements Clock {
  constructor(private ms = Date.parse('2025-03-01T08:00:00.000Z')) {}
  now(): Date {
    this.ms += 1000;
    return new Date(this.ms);
  }

  /** Time passes without anybody looking (a worker frozen past its lease). */
  advance(ms: number): void {
    this.ms += ms;
  }
}

const FAR_FUTURE = new Date('2099-01-01T00:00:00Z');

/**
 * The whole engine over in-memory fakes. Changes on either side turn into the messages the
 * intake functions would enqueue (a Graph notification → exchangeChanged, a CRM webhook →
 * crmEvent), also for the sync's own writes, as the real services send them.
 */
export class World {
  readonly clock = new TickingClock();
  /** Graph's mailbox (pushed), or with `{ exchange: 'ews' }` EWS's (polled, a cursor per page). */
  readonly exchange: FakeExchangeContacts;
  readonly crm = new FakeCrmContacts(this.clock);
  readonly mirror = new InMemoryMirror();
  readonly accounts = new InMemoryAccounts();
  readonly queue = new InMemoryQueue();
  readonly secrets = new InMemorySecretStore();
  readonly deps: SyncDeps;
  /** Messages waiting to be processed, oldest first. */
  readonly inbox: QueueMessage[] = [];
  readonly logLines: string[] = [];
  /** The CRM versions the sync wrote (functions/runtime.ts wraps the CRM port the same way). */
  readonly ownWrites = new OwnCrmWrites();
  /** CRM events the webhook's echo filter dropped (intake.ts). */
  echoesDropped = 0;
  private seq = 0;

  constructor(
    migration: Partial<SyncSettings['migration']> = {},
    options: { exchange?: 'graph' | 'ews'; pageSize?: number } = {},
  ) {
    this.exchange = new FakeExchangeContacts(this.clock, options.pageSize ?? 5, options.exchange ?? 'graph');
    // The mirror's crashBeforeNextMirrorWrite counts the remote writes of both sides.
    this.mirror.watchRemoteWrites(this.exchange.hooks, this.crm.hooks);
    const settings: SyncSettings = {
      massDelete: { share: 0.5, min: 10 },
      migration: { deadline: FAR_FUTURE, shutdown: FAR_FUTURE, ...migration },
      leaseWaitMs: 1000,
      publicBaseUrl: 'http://127.0.0.1:7071',
    };
    this.deps = {
      exchange: this.exchange,
      crm: rememberingOwnWrites(this.crm, this.ownWrites),
      mirror: this.mirror,
      accounts: this.accounts,
      queue: this.queue,
      lease: new InMemoryLease(this.clock),
      clock: this.clock,
      wallClock: this.clock,
      settings,
      secrets: this.secrets,
      log: (line) => this.logLines.push(line),
    };
    // Graph notifies every change (our own writes too); EWS notifies nothing: the timer polls.
    if (this.exchange.kind === 'graph')
      this.exchange.onChange(({ mailbox }) => {
        for (const id of this.accountIds)
          if (this.mailboxOf.get(id) === mailbox.toLowerCase()) this.inbox.push(this.exchangeChanged(id));
      });
    this.crm.onChange(({ type, contactId, version }) =>
      this.inbox.push({
        v: 1,
        kind: 'crmEvent',
        contactId,
        version,
        deleted: type === 'contact.deleted',
        sessionKey: `crm:${contactId}`,
        dedupeId: this.nextId('evt'),
      }),
    );
  }

  private readonly accountIds: string[] = [];
  private readonly mailboxOf = new Map<string, string>();

  /** Registers an account (every field set by hand in builders.ts) with its mailbox. */
  async addAccount(overrides: Partial<Account> = {}): Promise<Account> {
    const account = accountOf(overrides);
    this.exchange.addMailbox(account.userId);
    await this.accounts.put(account, null);
    this.accountIds.push(account.id);
    this.mailboxOf.set(account.id, account.userId.toLowerCase());
    return account;
  }

  /** The account's links in the mirror. */
  async links(accountId = 'acc-1'): Promise<ContactLink[]> {
    const all: ContactLink[] = [];
    for await (const link of this.mirror.list(accountId)) all.push(link);
    return all;
  }

  async account(id = 'acc-1'): Promise<Account> {
    const stored = await this.accounts.get(id);
    if (!stored) throw new Error(`no account ${id}`);
    return stored.value;
  }

  async editAccount(id: string, edit: (a: Account) => Account): Promise<void> {
    const stored = await this.accounts.get(id);
    if (!stored) throw new Error(`no account ${id}`);
    await this.accounts.put(edit(stored.value), stored.etag);
  }

  exchangeChanged(accountId = 'acc-1'): QueueMessage {
    return {
      v: 1,
      kind: 'exchangeChanged',
      accountId,
      folderId: null,
      reason: 'test',
      at: this.clock.now().toISOString(),
      sessionKey: accountId,
      dedupeId: this.nextId('exch'),
    };
  }

  reconcile(accountId = 'acc-1', full = true): QueueMessage {
    return { v: 1, kind: 'reconcile', accountId, full, sessionKey: accountId, dedupeId: this.nextId('rec') };
  }

  task(task: Extract<QueueMessage, { kind: 'accountTask' }>['task'], accountId = 'acc-1'): QueueMessage {
    return {
      v: 1,
      kind: 'accountTask',
      accountId,
      task,
      reason: 'test',
      sessionKey: accountId,
      dedupeId: this.nextId('task'),
    };
  }

  crmChanged(contactId: string, version: number | null, accountId = 'acc-1'): QueueMessage {
    return {
      v: 1,
      kind: 'crmChanged',
      accountId,
      contactId,
      version,
      sessionKey: accountId,
      dedupeId: this.nextId('crm'),
    };
  }

  /**
   * Processes one message; what the workers send (fan-out) lands in the inbox. A CRM event
   * first passes the webhook's echo filter, as acceptCrmEvent does when it arrives (after the
   * write that caused it returned).
   */
  async run(message: QueueMessage): Promise<WorkResult> {
    if (
      message.kind === 'crmEvent' &&
      !message.deleted &&
      this.ownWrites.isEcho(message.contactId, message.version)
    ) {
      this.echoesDropped++;
      return { outcome: 'skipped', reason: 'echo of our own write', tally: emptyTally() };
    }
    try {
      return await handleMessage(this.deps, message);
    } finally {
      for (const sent of this.queue.sent.splice(0)) this.inbox.push(sent.message);
    }
  }

  /**
   * Processes the inbox until it is empty, as the queues would: a message that throws is
   * delivered again (up to 5 times, then dropped like a dead letter). `pick` chooses the
   * next message (reordering); it defaults to the oldest.
   */
  async drain(pick: (size: number) => number = () => 0, limit = 500): Promise<{ failures: unknown[] }> {
    const failures: unknown[] = [];
    const tries = new Map<QueueMessage, number>();
    for (let n = 0; this.inbox.length > 0; n++) {
      if (n >= limit) throw new Error(`the inbox did not drain after ${limit} messages (a write loop?)`);
      const [message] = this.inbox.splice(pick(this.inbox.length), 1);
      if (!message) break;
      try {
        await this.run(message);
      } catch (error) {
        const count = (tries.get(message) ?? 0) + 1;
        tries.set(message, count);
        if (count < 5) this.inbox.push(message);
        else failures.push(error);
      }
    }
    return { failures };
  }

  /** Remote writes so far: create + update + delete on each side. */
  writes(): { exchange: number; crm: number } {
    return { exchange: this.exchange.hooks.total(EXCHANGE_WRITES), crm: this.crm.hooks.total(CRM_WRITES) };
  }

  resetCounts(): void {
    this.exchange.hooks.resetCounts();
    this.crm.hooks.resetCounts();
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq}`;
  }
}
