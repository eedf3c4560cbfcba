import { exchangeFieldsOf } from '../contact/index.js';
import { SyncError } from '../errors.js';
import type { AccountSession } from './account-session.js';
import type { SyncDeps } from './deps.js';
import { executePlan, newLink } from './execute.js';
import { planExchangeUpsert } from './plan.js';

/**
 * Finishes creates a crashed worker left behind (the account's pending-create ledger), before
 * any new work for the account. Exchange-side creates are found by their ownership marker and
 * adopted into the mirror instead of being created again; CRM-side creates are re-run with the
 * same idempotency key, which returns the contact the first attempt made.
 */
export async function resolvePendingCreates(
  deps: SyncDeps,
  session: AccountSession,
  targetFolderId: string,
): Promise<number> {
  const account = session.account;
  let resolved = 0;
  for (const pending of account.pendingCreates) {
    if (await deps.mirror.getByLinkId(account.id, pending.linkId)) {
      // The mirror write happened; only the ledger update was lost.
    } else if (pending.side === 'exchange') {
      const created = await deps.exchange.findByLinkId(session.mailbox, pending.linkId);
      const crm = await deps.crm.get(pending.sourceId);
      if (created && crm && (await deps.mirror.getByCrmId(account.id, crm.id))) {
        await deps.exchange.delete(session.mailbox, created.id); // the contact got another copy meanwhile
      } else if (created && crm) {
        // Version 0: the next CRM event or sweep re-merges, in case the CRM changed meanwhile.
        const snapshot = exchangeFieldsOf(created, account.defaultCountry);
        const link = newLink(
          account.id,
          pending.linkId,
          crm.id,
          0,
          created.id,
          created.parentFolderId ?? targetFolderId,
          created.changeKey ?? null,
          snapshot,
          'crm',
          deps.clock.now().toISOString(),
        );
        await deps.mirror.put(link, null);
      } else if (created) {
        await deps.exchange.delete(session.mailbox, created.id); // its CRM contact is gone meanwhile
      }
    } else {
      const source = (await deps.mirror.getByExchangeId(account.id, pending.sourceId))
        ? null // linked meanwhile: nothing left to finish
        : await deps.exchange.get(session.mailbox, pending.sourceId);
      if (source) {
        const plan = planExchangeUpsert({
          account,
          link: null,
          crm: null,
          exchange: source,
          now: deps.clock.now(),
        });
        if (plan.kind !== 'createInCrm')
          throw new SyncError(
            'permanent',
            'PendingPlan',
            `unexpected plan ${plan.kind} for a pending create`,
          );
        // The same idempotency key as the interrupted attempt: the CRM returns what it created then.
        await executePlan(
          { ...plan, linkId: pending.linkId },
          { deps, session, targetFolderId, trackPending: false },
        );
      }
    }
    await session.endCreates([pending.linkId]);
    resolved++;
  }
  return resolved;
}
