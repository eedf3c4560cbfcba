import { type CrmContact, contentHash, type ExchangeContact, exchangeFieldsOf } from '../contact/index.js';
import { isSyncError, SyncError } from '../errors.js';
import type { Stored } from '../ports.js';
import { type ExecutionContext, executePlan } from './execute.js';
import type { ContactLink } from './link.js';
import { planExchangeUpsert } from './plan.js';

/**
 * An Outlook contact restored from Deleted Items under its old (immutable) id after the sync
 * re-created it from its CRM contact (a CRM edit beat the Outlook delete, DESIGN 9.6): the
 * key of its first CRM create replays that CRM contact, which the sync's copy holds by now.
 * Both Outlook contacts are the same person and the user asked for the original back, so the
 * original takes the copy's place (whole-stack soak seed 1169968522; before, the next key of
 * the chain made a second CRM contact and Outlook kept both):
 * - the copy is deleted for good (`permanent`: Graph permanentDelete, EWS HardDelete), not
 *   into Deleted Items: it is the sync's own surplus, and restored from there by the user it
 *   came back unlinked and became a second CRM contact (soak seeds 1169968522, 1664384262);
 * - the delete is conditional on the changeKey the sync last saw. An Outlook edit of the copy
 *   since (not in the link yet: a retried create resolves before any delta round, soak seed
 *   1664384262) conflicts; the copy is read again, its edit merged into the pair as any
 *   Outlook edit of a linked copy is (so it reaches the CRM), and the delete tried again with
 *   the fresh changeKey, up to MAX_TRIES times; then a `transient` failure retries the
 *   message. Before, the conflict gave up ("both stay") and the next key made a second CRM
 *   contact;
 * - the link follows the original, based on the original as it is (its changeKey, so a
 *   delete of it is conditional too) and at CRM version 0, so re-planned as a CRM change it
 *   writes what the CRM holds now into the original (the CRM edit that brought the copy back,
 *   the copy's Outlook edit merged above) and keeps what only Outlook holds.
 * The CRM contact may have lost the sync tag since the copy was made (the untag not synced
 * yet): the original takes the copy's place all the same, and the re-plan deletes it, as
 * the untag would have deleted the copy (DESIGN 9.6) and as it does when the sync saw the
 * untag first (the replayed key then links the original to the untagged contact). Turned
 * down, the next key of the chain made a second CRM contact (soak seed 1169968522's replay
 * after 12d1ac2).
 * Returns the moved link and the CRM contact as it is now, or null when the CRM contact is
 * not held by such a copy (a copy of another pair's, or a contact the Outlook user made: then
 * the original is its own contact).
 * A crash after the copy's delete leaves the pending create, whose retry comes here again.
 * The action log of the CRM contact records the exchange.
 */
export async function takeCopysPlace(
  ctx: ExecutionContext,
  original: ExchangeContact,
  replayed: CrmContact,
): Promise<{ link: Stored<ContactLink>; crm: CrmContact } | null> {
  const { deps, session } = ctx;
  const account = session.account;
  let crm = replayed;
  for (let tries = 1; ; tries++) {
    const holder = await deps.mirror.getByCrmId(account.id, crm.id);
    if (holder?.value.origin !== 'crm' || holder.value.exchangeId === original.id) return null;
    const copy = holder.value;
    try {
      await deps.exchange.delete(session.mailbox, copy.exchangeId, copy.changeKey ?? undefined, {
        permanent: true,
      });
      return { link: await moveLink(ctx, holder, original, crm), crm };
    } catch (error) {
      if (!isSyncError(error, 'conflict')) throw error;
      if (tries >= MAX_TRIES)
        throw new SyncError(
          'transient',
          'CopyKeptChanging',
          `the copy ${copy.exchangeId} changed ${tries} times while the restored original ${original.id} took its place`,
        );
    }
    const [current, now] = await Promise.all([
      deps.exchange.get(session.mailbox, copy.exchangeId),
      deps.crm.get(crm.id),
    ]);
    if (!now) return null; // the CRM contact is gone meanwhile: nothing to hold the original
    crm = now;
    if (current) crm = await mergeCopysEdit(ctx, holder, current, now);
    // Gone meanwhile (the Outlook user deleted it): the next try finds nothing to delete.
  }
}

/** Conditional deletes of the copy before the message is failed for a retry. */
const MAX_TRIES = 3;

/**
 * The copy's Outlook edit into the pair, as a delta round would bring it (planExchangeUpsert):
 * to the CRM, and the link at the copy's new changeKey. With the sync tag removed meanwhile,
 * the plan is the untag's (the edit delivered, then the copy deleted): only the delivery is
 * made here, the copy's delete is this function's. Returns the CRM contact after the merge.
 */
async function mergeCopysEdit(
  ctx: ExecutionContext,
  holder: Stored<ContactLink>,
  copy: ExchangeContact,
  crm: CrmContact,
): Promise<CrmContact> {
  const { deps, session } = ctx;
  const plan = planExchangeUpsert({
    account: session.account,
    link: holder,
    crm,
    exchange: copy,
    now: deps.clock.now(),
  });
  if (plan.kind === 'update' || plan.kind === 'refreshLink' || plan.kind === 'noop') {
    await executePlan(plan, { ...ctx, trackPending: false });
  } else if (plan.kind === 'deleteExchange') {
    if (plan.deliver)
      await deps.crm.update(plan.deliver.crm.id, plan.deliver.patch, plan.deliver.crm.version);
    const snapshot = exchangeFieldsOf(copy, session.account.defaultCountry);
    await deps.mirror.put(
      {
        ...holder.value,
        changeKey: copy.changeKey ?? null,
        snapshot,
        snapshotHash: contentHash(snapshot),
        syncedAt: deps.clock.now().toISOString(),
      },
      holder.etag,
    );
  } else {
    throw new SyncError('transient', 'CopyReplanned', `the copy ${copy.id} was re-planned as ${plan.kind}`);
  }
  return (await deps.crm.get(crm.id)) ?? crm;
}

async function moveLink(
  ctx: ExecutionContext,
  holder: Stored<ContactLink>,
  original: ExchangeContact,
  crm: CrmContact,
): Promise<Stored<ContactLink>> {
  const { deps, session } = ctx;
  const account = session.account;
  const copy = holder.value;
  const snapshot = exchangeFieldsOf(original, account.defaultCountry);
  const moved: ContactLink = {
    ...copy,
    exchangeId: original.id,
    exchangeFolderId: original.parentFolderId ?? copy.exchangeFolderId,
    changeKey: original.changeKey ?? null,
    crmVersion: 0,
    snapshot,
    snapshotHash: contentHash(snapshot),
    origin: 'exchange',
    deleting: undefined,
    pendingSnapshot: undefined,
    pendingExchange: undefined,
    syncedAt: deps.clock.now().toISOString(),
  };
  const etag = await deps.mirror.put(moved, holder.etag);
  await deps.mirror.appendLog(account.id, [
    {
      contactKey: `crm:${crm.id}`,
      at: moved.syncedAt,
      level: 'info',
      action: 'deletedInExchange',
      detail: `Outlook contact ${original.id} restored: it replaces the copy ${copy.exchangeId} made from the CRM`,
    },
  ]);
  return { value: moved, etag };
}
