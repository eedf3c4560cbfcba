import type { Account } from '../../../shared/accounts/account.js';
import type { GraphMessage } from '../../../shared/mail/message.js';
import { CrmContactIndex } from '../../../shared/mail-sync/contact-index.js';
import type { MailDeps } from '../../../shared/mail-sync/deps.js';
import { mailSyncMessage } from '../../../shared/mail-sync/mail-jobs.js';
import { handleMailSync } from '../../../shared/mail-sync/mail-round.js';
import type { Accounts, Clock, ExchangeContacts, Queue, SecretStore } from '../../../shared/ports.js';
import type { QueueMessage } from '../../../shared/queue-message.js';
import { InMemoryAccounts } from '../../fakes/in-memory-accounts.js';
import { InMemoryLease } from '../../fakes/in-memory-lease.js';
import { InMemoryMirror } from '../../fakes/in-memory-mirror.js';
import { account as accountOf } from '../../unit/sync/support/builders.js';
import { FakeMailboxes, type FolderId, SYNCED } from './fake-mail.js';
import { Crash, Crashes, ModelCrm, ModelMailStore, processView } from './stores.js';

/**
 * The mail pipeline over in-memory fakes (fake-mail.ts, stores.ts), driven like the product
 * drives it: every mailbox change is a notification that becomes a `mailSync` message on the
 * mail queue (unless the model drops it, or delivers it twice); two worker processes take
 * messages off the queue, in any order, one at a time or two at once; a failed round goes back
 * on the queue (the queue's redelivery). Each worker is its own process: its own copy cache
 * (a view of the shared store) and contact index; a restart gives it fresh ones.
 *
 * The tenant: agents on contoso.example (each an account with a mailbox), clients in the CRM
 * on kunde.example, strangers on fremd.example (not in the CRM until a client gains one of
 * their addresses).
 */

export const TENANT = 'tenant-mail-model';
const FAR_FUTURE = new Date('2099-01-01T00:00:00Z');

export class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-03-02T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

type MailSync = Extract<QueueMessage, { kind: 'mailSync' }>;

export interface Agent {
  accountId: string;
  address: string;
}

/** One message as its author wrote it; its copies live in the mailboxes. */
export interface Mail {
  internetMessageId: string;
  /** Index into `agents` when an agent sent it, else null (mail from outside). */
  sender: number | null;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  bulk: boolean;
  /** Set once any copy was in a synced folder without the private category. */
  everIncludable: boolean;
}

interface Queued {
  message: MailSync;
  attempts: number;
}

const unusedContacts = new Proxy({} as ExchangeContacts, {
  get(_target, prop) {
    if (prop === 'then') return undefined;
    return () => {
      throw new Error(`the mail model has no contacts.${String(prop)}`);
    };
  },
});

const unusedSecrets: SecretStore = {
  get: async () => null,
  set: async () => {},
  delete: async () => {},
};

export interface WorldOptions {
  agents?: number;
  clients?: number;
  strangers?: number;
}

export class MailWorld {
  readonly clock = new ManualClock();
  readonly crashes = new Crashes();
  readonly mailboxes = new FakeMailboxes();
  readonly store = new ModelMailStore(this.crashes);
  readonly crm = new ModelCrm(this.crashes, this.clock);
  readonly accounts = new InMemoryAccounts();
  readonly lease = new InMemoryLease(this.clock);
  readonly mirror = new InMemoryMirror();
  readonly agents: Agent[] = [];
  readonly clients: { id: string; address: string }[] = [];
  readonly strangers: string[] = [];
  readonly mails: Mail[] = [];
  readonly queue: Queued[] = [];
  /** Notifications to drop, and to deliver twice, from now on. */
  drop = 0;
  duplicate = 0;
  rounds = { done: 0, skipped: 0, failed: 0, crashed: 0, deadLettered: 0 };
  workers: MailDeps[];

  constructor(options: WorldOptions = {}) {
    for (let i = 0; i < (options.agents ?? 2); i++) {
      const address = `makler${i}@contoso.example`;
      this.agents.push({ accountId: `acct-${i}`, address });
      this.mailboxes.addMailbox(address);
    }
    for (let i = 0; i < (options.clients ?? 3); i++) {
      const client = { id: `c${i}`, address: `kunde${i}@kunde.example` };
      this.clients.push(client);
      this.crm.addContact(client.id, client.address);
    }
    for (let i = 0; i < (options.strangers ?? 2); i++) this.strangers.push(`fremd${i}@fremd.example`);
    this.mailboxes.onChange = (mailbox) => this.notify(mailbox);
    this.workers = [this.worker(), this.worker()];
  }

  async setup(): Promise<void> {
    for (const agent of this.agents) {
      const account: Account = accountOf({
        id: agent.accountId,
        email: agent.address,
        userId: agent.address,
        tenantId: TENANT,
      });
      await this.accounts.put(account, null);
      this.enqueue(mailSyncMessage(agent.accountId, true, 'connect', this.clock.now()));
    }
  }

  /** A fresh process for worker `n`: its own copy cache and contact index. */
  restart(n: number): void {
    this.workers[n] = this.worker();
  }

  private worker(): MailDeps {
    const accounts = this.accounts;
    const crashes = this.crashes;
    const guardedAccounts: Accounts = {
      get: (id) => accounts.get(id),
      list: () => accounts.list(),
      findBySubscriptionId: (id) => accounts.findBySubscriptionId(id),
      put: async (account, etag) => {
        const written = await accounts.put(account, etag);
        crashes.at('accountPut:after');
        return written;
      },
      delete: (id, etag) => accounts.delete(id, etag),
    };
    // A variable, not a literal: `secrets` (on-premises passwords, unused by mail) may or may not be a SyncDeps field yet.
    const deps = {
      secrets: unusedSecrets,
      exchange: unusedContacts,
      crm: this.crm.contactsPort(),
      mirror: this.mirror,
      accounts: guardedAccounts,
      queue: { send: async (_queue: string, message: QueueMessage) => this.enqueue(message) } satisfies Queue,
      lease: this.lease,
      clock: this.clock,
      wallClock: this.clock,
      settings: {
        massDelete: { share: 0.5, min: 10 },
        migration: { deadline: FAR_FUTURE, shutdown: FAR_FUTURE },
        leaseWaitMs: 3_000,
        publicBaseUrl: 'https://sync.model.example',
      },
      log: () => {},
      exchangeMail: this.mailboxes,
      crmEmails: this.crm,
      mailStore: processView(this.store),
      contactIndex: new CrmContactIndex(this.crm.contactsPort(), this.clock),
      defaultTenantId: TENANT,
    };
    return deps;
  }

  enqueue(message: QueueMessage): void {
    if (message.kind === 'mailSync') this.queue.push({ message, attempts: 0 });
  }

  /** Graph's change notification for a mailbox: one mailSync, unless dropped or doubled. */
  private notify(mailbox: string): void {
    const agent = this.agents.find((a) => a.address === mailbox);
    if (!agent) return;
    if (this.drop > 0) {
      this.drop--;
      return;
    }
    const message = mailSyncMessage(agent.accountId, false, 'message notifications', this.clock.now());
    this.enqueue(message);
    if (this.duplicate > 0) {
      this.duplicate--;
      this.enqueue(message);
    }
  }

  // ---------------------------------------------------------------- what people do

  private newMail(
    sender: number | null,
    from: string,
    to: string[],
    cc: string[],
    bcc: string[],
    bulk: boolean,
  ): Mail {
    const mail: Mail = {
      internetMessageId: `<m${this.mails.length}.${this.clock.now().getTime()}@model.example>`,
      sender,
      from,
      to,
      cc,
      bcc,
      bulk,
      everIncludable: false,
    };
    this.mails.push(mail);
    return mail;
  }

  private graphMessage(mail: Mail, withBcc: boolean, priv: boolean): Omit<GraphMessage, 'id'> {
    const at = this.clock.now().toISOString();
    const r = (address: string) => ({ emailAddress: { address, name: address.split('@')[0] ?? null } });
    return {
      internetMessageId: mail.internetMessageId,
      conversationId: `conv-${mail.internetMessageId}`,
      from: r(mail.from),
      toRecipients: mail.to.map(r),
      ccRecipients: mail.cc.map(r),
      bccRecipients: withBcc ? mail.bcc.map(r) : [],
      subject: `Betreff ${mail.internetMessageId}`,
      sentDateTime: at,
      receivedDateTime: at,
      bodyPreview: 'Guten Tag',
      hasAttachments: false,
      categories: priv ? ['Privat'] : [],
      isDraft: false,
      internetMessageHeaders: mail.bulk
        ? [{ name: 'List-Unsubscribe', value: '<mailto:off@fremd.example>' }]
        : [],
    };
  }

  private placed(mail: Mail, folder: FolderId, priv: boolean): void {
    if (SYNCED.includes(folder) && !priv) mail.everIncludable = true;
  }

  /** Mail from outside into an agent's Inbox. */
  receive(agent: number, from: string, cc: string[], priv: boolean, bulk: boolean): void {
    const target = this.agents[agent];
    if (!target) return;
    const mail = this.newMail(null, from, [target.address], cc, [], bulk);
    this.mailboxes.put(target.address, 'inbox', this.graphMessage(mail, false, priv), 'Guten Tag');
    this.placed(mail, 'inbox', priv);
  }

  /** An agent sends mail: the Sent Items copy (with bcc), and an Inbox copy in every agent mailbox it reaches. */
  send(agent: number, to: string[], cc: string[], bcc: string[], priv: boolean): void {
    const sender = this.agents[agent];
    if (!sender || to.length + cc.length === 0) return;
    const mail = this.newMail(agent, sender.address, to, cc, bcc, false);
    this.mailboxes.put(
      sender.address,
      'sentitems',
      this.graphMessage(mail, true, priv),
      'Mit freundlichen Grüßen',
    );
    this.placed(mail, 'sentitems', priv);
    for (const other of this.agents) {
      if (other === sender || ![...to, ...cc, ...bcc].includes(other.address)) continue;
      // The recipient's copy: their own categories (none), no bcc.
      this.mailboxes.put(
        other.address,
        'inbox',
        this.graphMessage(mail, false, false),
        'Mit freundlichen Grüßen',
      );
      this.placed(mail, 'inbox', false);
    }
  }

  private pick(agent: number, n: number) {
    const target = this.agents[agent];
    if (!target) return null;
    const copies = this.mailboxes.copies(target.address);
    const copy = copies.length === 0 ? undefined : copies[n % copies.length];
    return copy ? { address: target.address, ...copy } : null;
  }

  move(agent: number, n: number, to: FolderId): void {
    const copy = this.pick(agent, n);
    if (!copy) return;
    this.mailboxes.move(copy.address, copy.id, to);
    const mail = this.mails.find((m) => m.internetMessageId === copy.message.internetMessageId);
    if (mail) this.placed(mail, to, (copy.message.categories ?? []).includes('Privat'));
  }

  remove(agent: number, n: number): void {
    const copy = this.pick(agent, n);
    if (copy) this.mailboxes.remove(copy.address, copy.id);
  }

  categorise(agent: number, n: number, priv: boolean): void {
    const copy = this.pick(agent, n);
    if (!copy) return;
    this.mailboxes.update(copy.address, copy.id, (m) => ({ ...m, categories: priv ? ['Privat'] : [] }));
    const mail = this.mails.find((m) => m.internetMessageId === copy.message.internetMessageId);
    if (mail) this.placed(mail, copy.folder, priv);
  }

  gainAddress(client: number, stranger: number): void {
    const c = this.clients[client];
    const address = this.strangers[stranger];
    if (c && address) this.crm.addAddress(c.id, address);
  }

  sweep(agent: number): void {
    const target = this.agents[agent];
    if (target) this.enqueue(mailSyncMessage(target.accountId, true, 'sweep', this.clock.now()));
  }

  loseDeltaPage(agent: number, folder: FolderId): void {
    const target = this.agents[agent];
    if (target) this.mailboxes.losePage.add(`${target.address}|${folder}`);
  }

  // ---------------------------------------------------------------- the workers

  /** Worker `n` takes the `index`-th queued message (a queue that does not keep order) and runs its round. */
  async process(index: number, n: number): Promise<void> {
    if (this.queue.length === 0) return;
    const [item] = this.queue.splice(index % this.queue.length, 1);
    if (item) await this.run(item, n);
  }

  /** Both workers at once, on two messages (of one account or two). */
  async processTwo(a: number, b: number): Promise<void> {
    if (this.queue.length < 2) return this.process(a, 0);
    const [first] = this.queue.splice(a % this.queue.length, 1);
    const [second] = this.queue.splice(b % this.queue.length, 1);
    await Promise.all([first ? this.run(first, 0) : undefined, second ? this.run(second, 1) : undefined]);
  }

  private async run(item: Queued, n: number): Promise<void> {
    const deps = this.workers[n % this.workers.length];
    if (!deps) return;
    try {
      const result = await handleMailSync(deps, item.message);
      if (result.outcome === 'done') this.rounds.done++;
      else this.rounds.skipped++;
    } catch (error) {
      if (error instanceof Crash) {
        // The process died: its in-memory state goes with it.
        this.rounds.crashed++;
        this.restart(n % this.workers.length);
      } else this.rounds.failed++;
      item.attempts++;
      if (item.attempts >= 10) this.rounds.deadLettered++;
      else this.queue.push(item);
    }
  }

  /** No more faults; every queued message worked off, then two sweeps of every account. */
  async drain(): Promise<void> {
    this.crashes.armed.clear();
    this.drop = 0;
    this.duplicate = 0;
    const workOff = async () => {
      for (let step = 0; this.queue.length > 0; step++) {
        if (step > 2_000) throw new Error('the mail queue does not drain');
        await this.process(0, step % 2);
      }
    };
    await workOff();
    for (let i = 0; i < 2; i++) {
      this.clock.advance(1_000);
      for (const agent of this.agents.keys()) this.sweep(agent);
      await workOff();
    }
  }
}
