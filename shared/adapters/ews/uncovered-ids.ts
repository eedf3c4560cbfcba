/**
 * The contacts the engine may hold a link to that the folder's stored SyncState may not cover:
 * the ones this adapter created (CreateItem), and the ones a page listed whose SyncState the
 * engine may not have stored (the round failed or was cut after the page was processed).
 *
 * Exchange reports a Delete from a SyncState only for an item that state was given (listed):
 * an ICS state's MetaTagIdsetGiven holds only ids the client's replica holds, and the deletions
 * a sync reports are drawn from it (MS-OXCFXICS 2.2.1.1.1, 2.2.4.3.3, 3.3.5.8.10; grommunio
 * gromox's EWS server keeps the same `given` set in its SyncState, exch/ews/structures.cpp
 * `sSyncState::update`). A contact deleted, or moved (a move gives it a new id), before a state
 * the engine stored listed it is reported neither as Create nor as Delete from that state: its
 * link would outlive it, and a moved copy would look new (ews-model seeds 1659647711,
 * 1886253730; regressions.test.ts). So such ids are remembered until covered, and the end of a
 * folder's round checks the ones the round did not list.
 *
 * Covered means: a round started from a SyncState this adapter issued at or after a page that
 * listed the contact or reported it gone (so the engine stored that state after processing the
 * page). A contact that still exists and that a complete round did not list is known to the
 * state the round started from (else that round would have listed its Create): dropped too.
 * What is kept is in memory, per adapter (one per account and host process, functions/runtime.ts):
 * what another host process created or listed is not covered here.
 */

/** How long an id is remembered at most (a round held by the mass-delete guard repeats meanwhile). */
const MAX_AGE_MS = 7 * 24 * 3600_000;
/** SyncStates remembered per folder, newest last (a round starts from one of its last few). */
const ISSUED_KEPT = 64;

interface Entry {
  /** The `issued` number of the page that listed the contact or reported it gone; null before. */
  coveredAt: number | null;
  since: number;
}

interface FolderIds {
  entries: Map<string, Entry>;
  /** SyncState → the number it was issued with (increasing). */
  issued: Map<string, number>;
}

export class UncoveredIds {
  private readonly folders = new Map<string, FolderIds>();
  private issuedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Our own CreateItem: no SyncState listed it yet. */
  created(mailbox: string, folderId: string, id: string): void {
    this.folder(mailbox, folderId).entries.set(id, { coveredAt: null, since: this.now() });
  }

  /** Our own DeleteItem: the engine removes the link itself, nothing to report. */
  deleted(mailbox: string, id: string): void {
    const prefix = `${mailbox.toLowerCase()}\n`;
    for (const [key, folder] of this.folders) if (key.startsWith(prefix)) folder.entries.delete(id);
  }

  /** A round of the folder starts from `state` (null: from scratch). */
  round(mailbox: string, folderId: string, state: string | null): UncoveredRound {
    const folder = this.folder(mailbox, folderId);
    const from = state === null ? undefined : folder.issued.get(state);
    const oldest = this.now() - MAX_AGE_MS;
    for (const [id, entry] of folder.entries) {
      const covered = from !== undefined && entry.coveredAt !== null && entry.coveredAt <= from;
      if (covered || entry.since < oldest) folder.entries.delete(id);
    }
    return new UncoveredRound(folder.entries, (next) => this.issue(folder, next), this.now);
  }

  private issue(folder: FolderIds, state: string): number {
    this.issuedCount++;
    folder.issued.set(state, this.issuedCount);
    for (const old of folder.issued.keys()) {
      if (folder.issued.size <= ISSUED_KEPT) break;
      folder.issued.delete(old);
    }
    return this.issuedCount;
  }

  private folder(mailbox: string, folderId: string): FolderIds {
    const key = `${mailbox.toLowerCase()}\n${folderId}`;
    let folder = this.folders.get(key);
    if (!folder) {
      folder = { entries: new Map(), issued: new Map() };
      this.folders.set(key, folder);
    }
    return folder;
  }
}

/** One round of one folder: what its pages listed, and what it still has to check at its end. */
export class UncoveredRound {
  private readonly listed = new Set<string>();
  private lastIssued: number | null = null;

  constructor(
    private readonly entries: Map<string, Entry>,
    private readonly issue: (state: string) => number,
    private readonly now: () => number,
  ) {}

  /** A page with its SyncState: the ids it listed as created or changed, and those it reported gone. */
  page(state: string, upserted: Iterable<string>, removed: Iterable<string>): void {
    const issued = this.issue(state);
    this.lastIssued = issued;
    for (const id of upserted) {
      this.listed.add(id);
      const entry = this.entries.get(id);
      if (entry) entry.coveredAt = issued;
      else this.entries.set(id, { coveredAt: issued, since: this.now() });
    }
    for (const id of removed) {
      this.listed.add(id);
      const entry = this.entries.get(id);
      if (entry) entry.coveredAt = issued;
    }
  }

  /** The remembered ids the round did not list: each one either still exists or is gone. */
  unlisted(): string[] {
    return [...this.entries.keys()].filter((id) => !this.listed.has(id));
  }

  /**
   * After the last page (`page` called for it): the `checked` ones in `present` still exist, so
   * the round's start state knows them (dropped); the others are gone and are reported, covered
   * by the last page's state. Returns the gone ones.
   */
  settle(checked: string[], present: Set<string>): string[] {
    const gone: string[] = [];
    for (const id of checked) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      if (present.has(id)) this.entries.delete(id);
      else {
        entry.coveredAt = this.lastIssued;
        gone.push(id);
      }
    }
    return gone;
  }
}
