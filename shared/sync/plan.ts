import type { Account } from '../accounts/account.js';
import {
  type Conflict,
  type CrmContact,
  type CrmContactInput,
  contentHash,
  crmContent,
  crmFromExchange,
  type ExchangeContact,
  type ExchangeFields,
  exchangeFieldsOf,
  type KeptBack,
  merge,
  projectToExchange,
} from '../contact/index.js';
import type { Stored } from '../ports.js';
import type { ContactLink } from './link.js';
import { linkIdFromCrm, linkIdFromExchange, relinkId } from './link-id.js';
import { crmPatchOf, exchangePatchOf } from './patches.js';

/**
 * The pure planner (vdirsyncer's `_get_actions`): from what the mirror remembers and what
 * both sides hold now, decide the ONE thing to do for a pair. The executor carries it out
 * and writes the mirror only after every remote write succeeded.
 *
 * Rules (DESIGN section 9): a notification is only a hint, so everything is decided from the
 * current state; unchanged changeKey / version or an unchanged content hash is an echo and
 * writes nothing; a field-level three-way merge decides what flows where; edit beats delete.
 *
 * Every decision reads the link's snapshot in its one meaning (link.ts: the window Exchange
 * held after the last sync, which the CRM then agreed with): `exchangeChangedSince` and
 * `crmChangedSince` at the bottom are its two "changed since the last sync" tests, and the
 * merge base is the snapshot itself. "Newer wins" compares the users' edit times
 * (`editTimes`), never the time of the sync's own write.
 */
export type PairPlan =
  | { kind: 'noop'; reason: string }
  /** Content is equal on both sides; only the mirror's bookkeeping (changeKey, version) moves. */
  | { kind: 'refreshLink'; link: Stored<ContactLink>; update: Partial<ContactLink>; reason: string }
  | {
      kind: 'createInCrm';
      exchange: ExchangeContact;
      input: CrmContactInput;
      linkId: string;
      snapshot: ExchangeFields;
      replaces: Stored<ContactLink> | null;
      /** the Outlook edit's time: what the new CRM contact carries (ContactLink.crmEditedAt) */
      crmEditedAt: string;
    }
  | {
      kind: 'createInExchange';
      crm: CrmContact;
      fields: ExchangeFields;
      linkId: string;
      keptBack: KeptBack[];
      replaces: Stored<ContactLink> | null;
    }
  | {
      kind: 'update';
      /** null when two existing contacts are linked for the first time (a match). */
      link: Stored<ContactLink> | null;
      crm: CrmContact;
      exchange: ExchangeContact;
      crmPatch: Partial<CrmContactInput> | null;
      exchangePatch: Partial<ExchangeFields> | null;
      snapshot: ExchangeFields;
      conflicts: Conflict[];
      keptBack: KeptBack[];
      /** ContactLink.crmEditedAt after this update */
      crmEditedAt: string;
    }
  | {
      kind: 'deleteExchange';
      link: Stored<ContactLink>;
      reason: 'crmDeleted' | 'tagRemoved';
      /**
       * Outlook edits of the copy made since the last sync, written to the CRM contact before
       * the copy is deleted (a tag removed while Outlook edited the copy: both win).
       */
      deliver?: { crm: CrmContact; patch: Partial<CrmContactInput> };
    }
  | { kind: 'removeFromCrm'; link: Stored<ContactLink>; crm: CrmContact; mode: 'unlink' | 'delete' }
  | { kind: 'dropLink'; link: Stored<ContactLink>; reason: string };

export interface PairState {
  account: Account;
  link: Stored<ContactLink> | null;
  /** The CRM contact: the linked one, a match candidate, or null when there is none. */
  crm: CrmContact | null;
  /** The Exchange contact, or null when it does not exist (deleted, or not created yet). */
  exchange: ExchangeContact | null;
  now: Date;
  /**
   * When a user made the edit the CRM contact's current version carries, if another
   * account's link knows it (edit-times.ts); otherwise the CRM's `updatedAt` (or this link's
   * `crmEditedAt`) is that time.
   */
  crmEditedAt?: Date | null;
}

export function isTaggedFor(contact: CrmContact, accountId: string): boolean {
  return contact.syncAccounts.includes(accountId);
}

/** An Exchange contact was created or changed (seen in a delta round). */
export function planExchangeUpsert(state: PairState & { exchange: ExchangeContact }): PairPlan {
  const { account, link, crm, exchange } = state;
  if (link && exchange.changeKey && exchange.changeKey === link.value.changeKey) {
    return { kind: 'noop', reason: 'changeKey unchanged since the last sync' };
  }
  const fields = exchangeFieldsOf(exchange, account.defaultCountry);
  if (link && !exchangeChangedSince(link.value, fields)) {
    return {
      kind: 'refreshLink',
      link,
      update: { changeKey: exchange.changeKey ?? null },
      reason: 'content unchanged (echo)',
    };
  }
  if (link && !crm) {
    // The CRM contact is gone but Outlook edited the copy: edit beats delete.
    return createInCrm(state, exchange, fields, link);
  }
  if (link && crm && !isTaggedFor(crm, account.id)) return planTagRemoved(state, link, crm, exchange);
  if (!crm) return createInCrm(state, exchange, fields, null);
  return planUpdate(state, crm, exchange, fields);
}

/** A CRM contact changed, was (un)tagged or deleted; `exchange` is the linked copy if any. */
export function planCrmChange(state: PairState): PairPlan {
  const { account, link, crm, exchange } = state;
  if (!crm) {
    if (!link) return { kind: 'noop', reason: 'deleted CRM contact was never linked' };
    if (exchange && exchangeEditedSince(link.value, exchange, account)) {
      // Outlook edited the copy after the last sync: edit beats delete, it comes back to the CRM.
      return createInCrm(state, exchange, exchangeFieldsOf(exchange, account.defaultCountry), link);
    }
    if (!exchange) return { kind: 'dropLink', link, reason: 'deleted on both sides' };
    return { kind: 'deleteExchange', link, reason: 'crmDeleted' };
  }
  if (!isTaggedFor(crm, account.id)) {
    if (!link) return { kind: 'noop', reason: 'not tagged for this account' };
    if (!exchange) return { kind: 'dropLink', link, reason: 'sync tag removed; Exchange copy already gone' };
    return planTagRemoved(state, link, crm, exchange);
  }
  if (!link) {
    const projection = projectToExchange(crmContent(crm), { defaultCountry: account.defaultCountry });
    return {
      kind: 'createInExchange',
      crm,
      fields: projection.fields,
      linkId: linkIdFromCrm(crm.id),
      keptBack: projection.keptBack,
      replaces: null,
    };
  }
  if (!exchange) {
    if (crmChangedSince(link.value, crm, account)) {
      // The CRM side was edited after the last sync while Outlook deleted: edit beats delete.
      const projection = projectToExchange(crmContent(crm), { defaultCountry: account.defaultCountry });
      return {
        kind: 'createInExchange',
        crm,
        fields: projection.fields,
        linkId: linkIdFromCrm(crm.id),
        keptBack: projection.keptBack,
        replaces: link,
      };
    }
    return { kind: 'removeFromCrm', link, crm, mode: account.exchangeDeleteAction };
  }
  if (crm.version <= link.value.crmVersion && exchange.changeKey === link.value.changeKey) {
    return { kind: 'noop', reason: 'version and changeKey unchanged since the last sync' };
  }
  return planUpdate(state, crm, exchange, exchangeFieldsOf(exchange, account.defaultCountry));
}

/** An Exchange delete seen in a delta round. */
export function planExchangeRemoval(state: PairState): PairPlan {
  return planCrmChange({ ...state, exchange: null });
}

/**
 * The sync tag was removed: the copy goes. Outlook edits made since the last sync reach the
 * CRM first (merged as any Outlook edit, the tag staying removed), so the result is the same
 * whichever of the two the sync sees first. The delete is conditional on the copy read here.
 */
function planTagRemoved(
  state: PairState,
  link: Stored<ContactLink>,
  crm: CrmContact,
  exchange: ExchangeContact,
): PairPlan {
  const { account } = state;
  if (!exchangeEditedSince(link.value, exchange, account))
    return { kind: 'deleteExchange', link, reason: 'tagRemoved' };
  const { result } = mergePair(state, crm, exchange, exchangeFieldsOf(exchange, account.defaultCountry));
  const patch = crmPatchOf(crmContent(crm), result.crm);
  const read = { ...link, value: { ...link.value, changeKey: exchange.changeKey ?? null } };
  return {
    kind: 'deleteExchange',
    link: read,
    reason: 'tagRemoved',
    ...(patch && { deliver: { crm, patch } }),
  };
}

/**
 * "Newer wins" compares the users' edits (DESIGN 9.5): Outlook's `lastModifiedDateTime` is a
 * user's edit whenever the copy changed since our last write (we keep the changeKey we
 * wrote); the CRM's `updatedAt` is not when the sync wrote that version (an Outlook edit of
 * this or another account merged into the CRM), and the link that wrote it remembers the
 * user's time instead (ContactLink.crmEditedAt).
 */
function editTimes(state: PairState, crm: CrmContact, exchange: ExchangeContact) {
  const { link, now } = state;
  const ours = link && link.value.crmVersion === crm.version ? link.value.crmEditedAt : undefined;
  const crmChangedAt = state.crmEditedAt ?? new Date(ours ?? crm.updatedAt);
  const exchangeChangedAt = exchange.lastModifiedDateTime ? new Date(exchange.lastModifiedDateTime) : now;
  return { crmChangedAt, exchangeChangedAt };
}

function mergePair(state: PairState, crm: CrmContact, exchange: ExchangeContact, fields: ExchangeFields) {
  const { account, link } = state;
  const times = editTimes(state, crm, exchange);
  const result = merge({
    base: link ? agreedSnapshot(link.value, fields) : null,
    crm: crmContent(crm),
    exchange: fields,
    ...times,
    defaultCountry: account.defaultCountry,
  });
  return { result, times };
}

/**
 * The user edit time the CRM contact carries after the plan: its own, or the Outlook edit's
 * when one was merged into it and is newer.
 */
function crmEditedAfter(
  times: ReturnType<typeof editTimes>,
  crmPatch: Partial<CrmContactInput> | null,
): string {
  const merged = crmPatch !== null && Object.keys(crmPatch).some((key) => key !== 'syncAccounts');
  const { crmChangedAt, exchangeChangedAt } = times;
  const newest = merged && exchangeChangedAt > crmChangedAt ? exchangeChangedAt : crmChangedAt;
  return newest.toISOString();
}

function planUpdate(
  state: PairState,
  crm: CrmContact,
  exchange: ExchangeContact,
  fields: ExchangeFields,
): PairPlan {
  const { account, link } = state;
  const { result, times } = mergePair(state, crm, exchange, fields);
  // A linked pair syncs both ways, so a matched CRM contact gets the account's sync tag.
  const target = isTaggedFor(crm, account.id)
    ? result.crm
    : { ...result.crm, syncAccounts: [...result.crm.syncAccounts, account.id] };
  const crmPatch = crmPatchOf(crmContent(crm), target);
  const exchangePatch = exchangePatchOf(fields, result.exchange);
  if (link && !crmPatch && !exchangePatch) {
    return {
      kind: 'refreshLink',
      link,
      update: {
        changeKey: exchange.changeKey ?? null,
        crmVersion: crm.version,
        snapshot: result.exchange,
        snapshotHash: contentHash(result.exchange),
        crmEditedAt: crmEditedAfter(times, null),
        pendingExchange: undefined,
      },
      reason: 'both sides already hold the same content',
    };
  }
  return {
    kind: 'update',
    link,
    crm,
    exchange,
    crmPatch,
    exchangePatch,
    snapshot: result.exchange,
    conflicts: result.conflicts,
    keptBack: result.keptBack,
    crmEditedAt: crmEditedAfter(times, crmPatch),
  };
}

function createInCrm(
  { account, now }: PairState,
  exchange: ExchangeContact,
  fields: ExchangeFields,
  replaces: Stored<ContactLink> | null,
): PairPlan {
  const editedAt = exchange.lastModifiedDateTime ? new Date(exchange.lastModifiedDateTime) : now;
  return {
    kind: 'createInCrm',
    exchange,
    input: crmFromExchange(fields, account.id),
    // A re-creation needs a fresh idempotency key: the first key still names the deleted contact.
    linkId: replaces
      ? relinkId(linkIdFromExchange(account.id, exchange.id), replaces.value.crmId)
      : linkIdFromExchange(account.id, exchange.id),
    snapshot: fields,
    replaces,
    crmEditedAt: editedAt.toISOString(),
  };
}

// The two "changed since the last sync" tests, read off the snapshot's meaning (link.ts).

/**
 * Outlook changed the pair: the copy's window is not what Exchange held after the last sync —
 * and it is not the sync's own write of an update whose mirror write a crash prevented
 * (`pendingExchange`, link.ts).
 */
function exchangeChangedSince(link: ContactLink, fields: ExchangeFields): boolean {
  const hash = contentHash(fields);
  if (hash === link.snapshotHash) return false;
  return link.pendingExchange === undefined || hash !== contentHash(link.pendingExchange);
}

/**
 * The merge base: the snapshot, or the one an update wrote into the copy before a crash kept
 * it from the mirror (`pendingExchange`, link.ts) while the copy holds exactly that.
 */
function agreedSnapshot(link: ContactLink, fields: ExchangeFields): ExchangeFields {
  const pending = link.pendingExchange;
  return pending !== undefined && contentHash(fields) === contentHash(pending) ? pending : link.snapshot;
}

function exchangeEditedSince(link: ContactLink, exchange: ExchangeContact, account: Account): boolean {
  if (exchange.changeKey && exchange.changeKey === link.changeKey) return false;
  return exchangeChangedSince(link, exchangeFieldsOf(exchange, account.defaultCountry));
}

/**
 * The CRM changed the pair: its window, seen against the snapshot, is not the snapshot — and
 * it is not the sync's own update of a newer version whose mirror write a crash prevented
 * (`pendingSnapshot`, link.ts).
 */
function crmChangedSince(link: ContactLink, crm: CrmContact, account: Account): boolean {
  if (!crmWindowDiffers(link.snapshot, link.snapshotHash, crm, account)) return false;
  const pending = crm.version > link.crmVersion ? link.pendingSnapshot : undefined;
  return pending === undefined || crmWindowDiffers(pending, contentHash(pending), crm, account);
}

function crmWindowDiffers(
  snapshot: ExchangeFields,
  snapshotHash: string,
  crm: CrmContact,
  account: Account,
): boolean {
  const window = projectToExchange(crmContent(crm), {
    defaultCountry: account.defaultCountry,
    held: [snapshot],
  });
  return contentHash(window.fields) !== snapshotHash;
}
