import { SyncError } from '../../shared/errors.js';
import type { Etag, Mirror, Stored } from '../../shared/ports.js';
import type { ContactLink, LogEntry } from '../../shared/sync/link.js';
import { copy, nextEtag } from './etags.js';
import { FaultHooks } from './fault-hooks.js';

const REMOTE_WRITES = new Set(['create', 'update', 'delete']);

const conflict = (message: string) => new SyncError('conflict', 'LinkChanged', message, { status: 412 });

/**
 * The Mirror port in memory, with the Table adapter's semantics (test/integration/tables/
 * mirror.contract.ts runs against both): crmId and exchangeId are unique per account, etag
 * null creates, a stale etag is a `conflict`, a missing link on delete is `notFound`.
 */
export class InMemoryMirror implements Mirror {
  /** `crashAfterWrite(method)`: the write is applied, then the caller sees a lost connection. */
  readonly hooks = new FaultHooks<'put' | 'delete' | 'appendLog'>();
  /** Remote writes still to come before an armed crash fires (null: none armed). */
  private crashAfterRemoteWrites: number | null = null;
  private readonly links = new Map<string, Stored<ContactLink>>();
  private readonly log = new Map<string, LogEntry[]>();
  /** Every pair a put ever wrote, `[accountId, exchangeId]` → crmIds (for the model's checks). */
  private readonly history = new Map<string, Set<string>>();

  private key(accountId: string, linkId: string): string {
    return JSON.stringify([accountId, linkId]);
  }

  private find(accountId: string, match: (link: ContactLink) => boolean): Stored<ContactLink> | null {
    for (const stored of this.links.values()) {
      if (stored.value.accountId === accountId && match(stored.value)) return copy(stored);
    }
    return null;
  }

  async getByCrmId(accountId: string, crmId: string) {
    return this.find(accountId, (link) => link.crmId === crmId);
  }

  async getByExchangeId(accountId: string, exchangeId: string) {
    return this.find(accountId, (link) => link.exchangeId === exchangeId);
  }

  async getByLinkId(accountId: string, linkId: string) {
    return this.find(accountId, (link) => link.linkId === linkId);
  }

  /**
   * "The worker died between a remote write and the mirror write" (the whole-stack soak's
   * test/reliability/model/crash-hooks.ts): after the `remoteWrites`-th successful remote write
   * from now (a create, update or delete on a side `watchRemoteWrites` was given), the next
   * mirror `put` or `delete` throws once, before it does anything. The remote side is written,
   * the mirror is not; the queue redelivers the message. With `remoteWrites` = n a test can
   * place the crash behind every remote write of a flow in turn.
   */
  crashBeforeNextMirrorWrite(remoteWrites = 1): void {
    this.crashAfterRemoteWrites = remoteWrites;
  }

  /** Whether an armed crash has not fired yet. */
  get crashArmed(): boolean {
    return this.crashAfterRemoteWrites !== null;
  }

  /** Counts the writes of these fakes' hooks (`create`, `update`, `delete`) as remote writes. */
  watchRemoteWrites(...sides: Pick<FaultHooks<string>, 'onWritten'>[]): void {
    for (const side of sides)
      side.onWritten((method) => {
        const left = this.crashAfterRemoteWrites;
        if (left !== null && left > 0 && REMOTE_WRITES.has(method)) this.crashAfterRemoteWrites = left - 1;
      });
  }

  private crashIfDue(method: 'put' | 'delete'): void {
    if (this.crashAfterRemoteWrites !== 0) return;
    this.crashAfterRemoteWrites = null;
    throw new SyncError('transient', 'InjectedCrash', `worker killed before the mirror ${method} (injected)`);
  }

  async put(link: ContactLink, etag: Etag): Promise<string> {
    this.hooks.enter('put');
    this.crashIfDue('put');
    const key = this.key(link.accountId, link.linkId);
    const current = this.links.get(key);
    if (etag === null && current !== undefined) throw conflict(`link ${link.linkId} already exists`);
    if (etag !== null && current?.etag !== etag) throw conflict(`link ${link.linkId} changed or was deleted`);
    const clash = this.find(
      link.accountId,
      (other) =>
        other.linkId !== link.linkId && (other.crmId === link.crmId || other.exchangeId === link.exchangeId),
    );
    if (clash !== null)
      throw conflict(`another link already holds crm ${link.crmId} or exchange ${link.exchangeId}`);
    const stored = { value: copy(link), etag: nextEtag() };
    this.links.set(key, stored);
    const pair = JSON.stringify([link.accountId, link.exchangeId]);
    this.history.set(pair, new Set([...(this.history.get(pair) ?? []), link.crmId]));
    this.hooks.afterWrite('put');
    return stored.etag;
  }

  async delete(link: ContactLink, etag: string): Promise<void> {
    this.hooks.enter('delete');
    this.crashIfDue('delete');
    const key = this.key(link.accountId, link.linkId);
    const current = this.links.get(key);
    if (current === undefined) {
      throw new SyncError('notFound', 'LinkNotFound', `link ${link.linkId} does not exist`, { status: 404 });
    }
    if (current.etag !== etag) throw conflict(`link ${link.linkId} changed since it was read`);
    this.links.delete(key);
    this.hooks.afterWrite('delete');
  }

  async *list(accountId: string): AsyncIterable<ContactLink> {
    for (const stored of [...this.links.values()]) {
      if (stored.value.accountId === accountId) yield copy(stored.value);
    }
  }

  /** The CRM contacts a link of the account ever paired with this Outlook id. */
  crmIdsEverLinkedTo(accountId: string, exchangeId: string): string[] {
    return [...(this.history.get(JSON.stringify([accountId, exchangeId])) ?? [])];
  }

  async appendLog(accountId: string, entries: LogEntry[]): Promise<void> {
    this.hooks.enter('appendLog');
    for (const entry of entries) {
      const key = JSON.stringify([accountId, entry.contactKey]);
      const list = this.log.get(key) ?? [];
      list.push(copy(entry));
      this.log.set(key, list);
    }
    if (entries.length > 0) this.hooks.afterWrite('appendLog');
  }

  async pruneLog(accountId: string, before: Date, limit: number): Promise<number> {
    let removed = 0;
    for (const [key, list] of this.log) {
      if (JSON.parse(key)[0] !== accountId) continue;
      const kept = list.filter((entry) => {
        if (removed >= limit || Date.parse(entry.at) >= before.getTime()) return true;
        removed++;
        return false;
      });
      this.log.set(key, kept);
    }
    return removed;
  }

  /** Sorted by time, then by the order of appending (the Table adapter's row-key order). */
  async readLog(accountId: string, contactKey: string): Promise<LogEntry[]> {
    const list = this.log.get(JSON.stringify([accountId, contactKey])) ?? [];
    return list
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
      .map(({ entry }) => copy(entry));
  }
}
