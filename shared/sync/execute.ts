import {
  type CrmContact,
  contentHash,
  crmContent,
  EMPTY_FIELDS,
  type ExchangeContact,
  type ExchangeFields,
  exchangeFieldsOf,
  projectToExchange,
} from '../contact/index.js';
import { isSyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import type { AccountSession } from './account-session.js';
import { createOnce } from './crm-create.js';
import type { SyncDeps } from './deps.js';
import type { ContactLink, LogEntry } from './link.js';
import { linkIdFromCrm } from './link-id.js';
import { logEntriesOf } from './log-entries.js';
import { crmPatchOf } from './patches.js';
import { type PairPlan, planCrmChange, planExchangeUpsert } from './plan.js';
import { takeCopysPlace } from './restored-original.js';

/**
 * Carries out one plan through the ports. Remote writes come first; the mirror is written
 * only after all of them succeeded, so a failure leaves the mirror as it was and the retried
 * message re-plans from the current state (DESIGN section 9, rule 2). Creates are bracketed by
 * the account's pending-create ledger so a crash between the remote create and the mirror
 * write is resumed, not repeated (rule 4).
 */
export interface ExecutionContext {
  deps: SyncDeps;
  session: AccountSession;
  /** Folder CRM contacts are created in. */
  targetFolderId: string;
  /** False when the caller brackets a batch of creates itself. */
  trackPending?: boolean;
  /** When given, log entries are collected here for the caller to write in one batch. */
  logSink?: LogEntry[];
}

export async function executePlan(plan: PairPlan, ctx: ExecutionContext): Promise<void> {
  const { deps, session } = ctx;
  const accountId = session.account.id;
  const now = () => deps.clock.now().toISOString();
  switch (plan.kind) {
    case 'noop':
      return;
    case 'refreshLink':
      await deps.mirror.put(
        { ...plan.link.value, ...plan.update, deleting: undefined, syncedAt: now() },
        plan.link.etag,
      );
      return;
    case 'createInExchange': {
      await bracket(
        ctx,
        { side: 'exchange', sourceId: plan.crm.id, linkId: plan.linkId, at: now() },
        async () => {
          // The old link goes first: a crash after the create is then resumed by the pending
          // ledger (adopting the new copy) without an old link standing in the way.
          if (plan.replaces) await deps.mirror.delete(plan.replaces.value, plan.replaces.etag);
          const created = await deps.exchange.create(
            session.mailbox,
            ctx.targetFolderId,
            plan.fields,
            plan.linkId,
          );
          await deps.mirror.put(
            newLink(
              accountId,
              plan.linkId,
              plan.crm.id,
              plan.crm.version,
              created.id,
              created.parentFolderId ?? ctx.targetFolderId,
              created.changeKey ?? null,
              plan.fields,
              'crm',
              now(),
            ),
            null,
          );
        },
      );
      break;
    }
    case 'createInCrm': {
      const source = plan.exchange;
      // Set when the Outlook contact is an original restored after the sync re-created it.
      const restored: { link: Stored<ContactLink> | null; crm: CrmContact | null } = {
        link: null,
        crm: null,
      };
      await bracket(ctx, { side: 'crm', sourceId: source.id, linkId: plan.linkId, at: now() }, async () => {
        if (plan.replaces) await deps.mirror.delete(plan.replaces.value, plan.replaces.etag);
        const created = await createOnce(deps.crm, plan.input, accountId, plan.linkId, async (contact) => {
          const holder = await deps.mirror.getByCrmId(accountId, contact.id);
          // Linked to this very Outlook contact is not "another pair's": a second create of the
          // same contact (a round listing it twice: moved between the reads of two folders) met
          // the first one's link. The next key would make a second CRM contact (soak seed
          // 1099856498); this one's link write conflicts instead and the contact is re-planned.
          if (holder === null || holder.value.exchangeId === source.id) return true;
          const took = await takeCopysPlace(ctx, source, contact);
          restored.link = took?.link ?? null;
          restored.crm = took?.crm ?? null;
          return took !== null;
        });
        if (restored.link) {
          const again = planCrmChange({
            account: session.account,
            link: restored.link,
            // As it is after the copy's Outlook edit was merged into it (restored-original.ts).
            crm: restored.crm ?? created,
            exchange: source,
            now: deps.clock.now(),
          });
          await executePlan(again, { ...ctx, trackPending: false });
          return;
        }
        // A retried create returns what the first attempt made, from the Outlook contact as it
        // was then (or edited since in the CRM). Then the link's base is what the CRM holds and
        // no changeKey, so the re-plan below merges the Outlook contact as it is now.
        const replayed = crmPatchOf(crmContent(created), plan.input) !== null;
        const fresh = newLink(
          accountId,
          plan.linkId,
          created.id,
          // Version 0 after a replay: what the CRM changed since the first attempt (an edit, a
          // removed tag) was never pushed; the next CRM event or sweep merges it.
          replayed ? 0 : created.version,
          source.id,
          source.parentFolderId ?? ctx.targetFolderId,
          replayed ? null : (source.changeKey ?? null),
          replayed ? replayedBase(created, source, session.account.defaultCountry) : plan.snapshot,
          'exchange',
          now(),
        );
        // Our create is not a user's CRM edit: the contact carries the Outlook edit's time.
        await deps.mirror.put(replayed ? fresh : { ...fresh, crmEditedAt: plan.crmEditedAt }, null);
        if (replayed) {
          const link = await deps.mirror.getByLinkId(accountId, plan.linkId);
          const again = planExchangeUpsert({
            account: session.account,
            link,
            crm: created,
            exchange: source,
            now: deps.clock.now(),
          });
          await executePlan(again, { ...ctx, trackPending: false });
        }
      });
      if (restored.link) return; // the re-plan logged what it did
      break;
    }
    case 'update': {
      // Marked first: a crash after a remote write must not read as that side's user's edit
      // (link.ts, pendingSnapshot and pendingExchange). A first match is claimed first, so a
      // crash after its writes leaves the pair linked: left unlinked, its CRM contact (now
      // tagged) would be copied to Outlook by a CRM event, and the retried round would copy the
      // Outlook contact to the CRM again (a duplicate on both sides; soak seed 1925927289).
      const marks = {
        ...(plan.crmPatch && { pendingSnapshot: plan.snapshot }),
        ...(plan.exchangePatch && { pendingExchange: plan.snapshot }),
      };
      const base: ContactLink = plan.link?.value ?? claimedLink(plan, accountId, ctx.targetFolderId, now());
      const etag =
        plan.crmPatch || plan.exchangePatch
          ? await deps.mirror.put({ ...base, ...marks }, plan.link?.etag ?? null)
          : (plan.link?.etag ?? null);
      const crm = plan.crmPatch
        ? await deps.crm.update(plan.crm.id, plan.crmPatch, plan.crm.version)
        : plan.crm;
      const exchange = plan.exchangePatch
        ? await deps.exchange.update(
            session.mailbox,
            plan.exchange.id,
            plan.exchangePatch,
            plan.exchange.changeKey ?? undefined,
            plan.exchange,
          )
        : plan.exchange;
      await deps.mirror.put(
        {
          ...base,
          // The copy may have moved (a new id without immutable ids, found by its marker).
          exchangeId: exchange.id,
          exchangeFolderId: exchange.parentFolderId ?? base.exchangeFolderId,
          crmVersion: crm.version,
          crmEditedAt: plan.crmEditedAt,
          changeKey: exchange.changeKey ?? null,
          snapshot: plan.snapshot,
          snapshotHash: contentHash(plan.snapshot),
          deleting: undefined,
          pendingSnapshot: undefined,
          pendingExchange: undefined,
          syncedAt: now(),
        },
        etag,
      );
      break;
    }
    case 'deleteExchange':
      // Outlook's edits reach the CRM before their copy goes (a tag removed meanwhile).
      if (plan.deliver)
        await deps.crm.update(plan.deliver.crm.id, plan.deliver.patch, plan.deliver.crm.version);
      // Conditional on the copy the plan was made from (If-Match): an Outlook edit made since
      // throws a conflict, and the retry re-plans with it (edit beats delete).
      {
        // Marked first: a crash after the remote delete must not read as an Outlook delete.
        const marked = await deps.mirror.put({ ...plan.link.value, deleting: true }, plan.link.etag);
        try {
          await deps.exchange.delete(
            session.mailbox,
            plan.link.value.exchangeId,
            plan.link.value.changeKey ?? undefined,
          );
        } catch (error) {
          // Edit beats delete: the copy stays, and so does the pair (unmarked) for the re-plan.
          if (isSyncError(error, 'conflict'))
            await deps.mirror.put({ ...plan.link.value, deleting: undefined }, marked).catch(() => undefined);
          throw error;
        }
        await deps.mirror.delete(plan.link.value, marked);
        break;
      }
    case 'removeFromCrm':
      if (plan.mode === 'delete') await deps.crm.delete(plan.crm.id, plan.crm.version);
      else
        await deps.crm.update(
          plan.crm.id,
          { syncAccounts: plan.crm.syncAccounts.filter((id) => id !== accountId) },
          plan.crm.version,
        );
      await deps.mirror.delete(plan.link.value, plan.link.etag);
      break;
    case 'dropLink':
      await deps.mirror.delete(plan.link.value, plan.link.etag);
      break;
  }
  const entries = [...deliveredEntries(plan, now()), ...logEntriesOf(plan, now())];
  if (ctx.logSink) ctx.logSink.push(...entries);
  else if (entries.length > 0) await deps.mirror.appendLog(accountId, entries);
}

/** The log line of Outlook edits delivered to the CRM before their copy was deleted. */
function deliveredEntries(plan: PairPlan, at: string): LogEntry[] {
  if (plan.kind !== 'deleteExchange' || !plan.deliver) return [];
  const fields = Object.keys(plan.deliver.patch).join(', ');
  const contactKey = `crm:${plan.deliver.crm.id}`;
  return [{ contactKey, at, level: 'info', action: 'updatedCrm', detail: `fields from Outlook: ${fields}` }];
}

async function bracket(
  ctx: ExecutionContext,
  pending: Parameters<AccountSession['beginCreates']>[0][number],
  work: () => Promise<void>,
) {
  const track = ctx.trackPending !== false;
  if (track) await ctx.session.beginCreates([pending]);
  await work();
  if (track) await ctx.session.endCreates([pending.linkId]);
}

/**
 * The link of a first match before anything is written: claimed, nothing agreed yet (link.ts:
 * EMPTY_FIELDS, the base a first match merges from; no changeKey), at the CRM version the plan
 * read. A retry after a crash then plans the same merge again, and the marks the update adds
 * keep the sync's own writes from reading as users' edits.
 */
function claimedLink(
  plan: Extract<PairPlan, { kind: 'update' }>,
  accountId: string,
  targetFolderId: string,
  at: string,
): ContactLink {
  const { crm, exchange } = plan;
  const folder = exchange.parentFolderId ?? targetFolderId;
  return newLink(
    accountId,
    linkIdFromCrm(crm.id),
    crm.id,
    crm.version,
    exchange.id,
    folder,
    null,
    EMPTY_FIELDS,
    'matched',
    at,
  );
}

/**
 * The snapshot of a pair whose CRM contact a retried create found: what the CRM holds, in
 * Exchange's terms, keeping what the Outlook contact holds of it (link.ts). The re-plan then
 * merges every difference of the Outlook contact as an Outlook edit.
 */
function replayedBase(created: CrmContact, source: ExchangeContact, defaultCountry: string): ExchangeFields {
  const held = [exchangeFieldsOf(source, defaultCountry)];
  return projectToExchange(crmContent(created), { defaultCountry, held }).fields;
}

export function newLink(
  accountId: string,
  linkId: string,
  crmId: string,
  crmVersion: number,
  exchangeId: string,
  exchangeFolderId: string,
  changeKey: string | null,
  snapshot: ExchangeFields,
  origin: ContactLink['origin'],
  syncedAt: string,
): ContactLink {
  return {
    accountId,
    linkId,
    crmId,
    exchangeId,
    exchangeFolderId,
    changeKey,
    crmVersion,
    snapshot,
    snapshotHash: contentHash(snapshot),
    origin,
    syncedAt,
  };
}

export type { Stored };
