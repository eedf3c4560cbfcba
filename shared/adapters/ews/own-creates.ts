/**
 * The contacts this adapter created (CreateItem) that a folder's SyncState may not know yet.
 *
 * Exchange reports a Delete from a SyncState only for an item that state was given (listed):
 * an ICS state's MetaTagIdsetGiven holds only ids the client's replica holds, and the deletions
 * a sync reports are drawn from it (MS-OXCFXICS 2.2.1.1.1, 2.2.4.3.3, 3.3.5.8.10; grommunio
 * gromox's EWS server keeps the same `given` set in its SyncState, exch/ews/structures.cpp
 * `sSyncState::update`). A contact we create after the folder's stored SyncState and that the
 * user deletes, or moves (a move gives it a new id), before a SyncFolderItems lists it is
 * reported neither as Create nor as Delete: its link would outlive it, and a moved copy would
 * look new. So each create is remembered until it is covered, and the end of a folder's round
 * checks the ones the round did not list (ews-model seed 1659647711, regressions.test.ts).
 *
 * Covered means: a round started from a SyncState this adapter issued at or after a page that
 * listed the contact or reported it gone (the engine stored that state, so it processed that
 * page). A contact that still exists in its folder and that a complete round did not list is
 * known to the state the round started from (else that round would have listed its Create):
 * it is dropped too. What is kept is in memory, per adapter (one per account and host process,
 * functions/runtime.ts): a create made by another host process is not covered here.
 */

/** How long a create is remembered at most (a round held by the mass-delete guard repeats meanwhile). */
const MAX_AGE_MS = 7 * 24 * 3600_000;
/** SyncStates remembered per folder, newest last (a round starts from one of its last few). */
const ISSUED_KEPT = 64;

interface Entry {
  /** The `issued` number of the page that listed the contact or reported it gone; null before. */
  coveredAt: number | null;
  createdAt: number;
}

interface FolderCreates {
  entries: Map<string, Entry>;
  /** SyncState → the number it was issued with (increasing). */
  issued: Map<string, number>;
}

export class OwnCreates {
  private readonly folders = new Map<string, FolderCreates>();
  private issuedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  created(mailbox: string, folderId: string, id: string): void {
    this.folder(mailbox, folderId).entries.set(id, { coveredAt: null, createdAt: this.now() });
  }

  /** Our own DeleteItem: the engine removes the link itself, nothing to report. */
  deleted(mailbox: string, id: string): void {
    const prefix = `${mailbox.toLowerCase()}\n`;
    for (const [key, folder] of this.folders) if (key.startsWith(prefix)) folder.entries.delete(id);
  }

  /** A round of the folder starts from `state` (null: from scratch). */
  round(mailbox: string, folderId: string, state: string | null): OwnCreatesRound {
    const folder = this.folder(mailbox, folderId);
    const from = state === null ? undefined : folder.issued.get(state);
    const oldest = this.now() - MAX_AGE_MS;
    for (const [id, entry] of folder.entries) {
      const covered = from !== undefined && entry.coveredAt !== null && entry.coveredAt <= from;
      if (covered || entry.createdAt < oldest) folder.entries.delete(id);
    }
    return new OwnCreatesRound(folder.entries, (next) => this.issue(folder, next));
  }

  private issue(folder: FolderCreates, state: string): number {
    this.issuedCount++;
    folder.issued.set(state, this.issuedCount);
    for (const old of folder.issued.keys()) {
      if (folder.issued.size <= ISSUED_KEPT) break;
      folder.issued.delete(old);
    }
    return this.issuedCount;
  }

  private folder(mailbox: string, folderId: string): FolderCreates {
    const key = keyOf(mailbox, folderId);
    let folder = this.folders.get(key);
    if (!folder) {
      folder = { entries: new Map(), issued: new Map() };
      this.folders.set(key, folder);
    }
    return folder;
  }
}

/** One round of one folder: which of our creates its pages listed, and what it still has to check. */
export class OwnCreatesRound {
  private readonly listed = new Set<string>();
  private lastIssued: number | null = null;

  constructor(
    private readonly entries: Map<string, Entry>,
    private readonly issue: (state: string) => number,
  ) {}

  /** A page with its SyncState and every id it reported (created, changed or deleted). */
  page(state: string, ids: Iterable<string>): void {
    this.lastIssued = this.issue(state);
    for (const id of ids) {
      this.listed.add(id);
      const entry = this.entries.get(id);
      if (entry) entry.coveredAt = this.lastIssued;
    }
  }

  /** Our creates the round did not list: each one either still exists in the folder or is gone. */
  unlisted(): string[] {
    return [...this.entries.keys()].filter((id) => !this.listed.has(id));
  }

  /**
   * After the last page (`page` called for it): the `checked` ones in `present` still exist in
   * the folder, so the state knows them (dropped); the others are gone and are reported, covered
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

function keyOf(mailbox: string, folderId: string): string {
  return `${mailbox.toLowerCase()}\n${folderId}`;
}
