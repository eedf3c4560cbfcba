import { isDeepStrictEqual } from 'node:util';
import { windowStart } from '../mail/window.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { MailDeps } from './deps.js';
import type { KnownCopy } from './ports.js';

/**
 * No mail goes missing silently (issue 17, item 6): on a full round, every e-mail of the
 * window this account's mailbox linked is compared with what the CRM holds; one the CRM lost
 * (deleted there, an older backup restored) or holds differently from what we last wrote is
 * put back, and the counts go into the account status. The mailbox side needs no compare:
 * the delta rounds are the mailbox's own record of every change since the last deltaLink.
 */
const PARALLEL = 8;

export interface MailReconcileResult {
  checked: number;
  repaired: number;
}

export async function reconcileMail(
  deps: MailDeps,
  lease: HeldLease,
  tenantId: string,
  known: ReadonlyMap<string, KnownCopy>,
  windowDays: number,
  skip: ReadonlySet<string> = new Set(),
): Promise<MailReconcileResult> {
  const since = windowStart(deps.clock.now(), windowDays).getTime();
  const keys = [...new Set([...known.values()].map((copy) => copy.key))].filter((key) => !skip.has(key));
  const result: MailReconcileResult = { checked: 0, repaired: 0 };
  for (let i = 0; i < keys.length; i += PARALLEL) {
    await Promise.all(
      keys.slice(i, i + PARALLEL).map(async (key) => {
        const stored = await deps.mailStore.getMail(tenantId, key);
        if (!stored) return;
        const received =
          stored.value.receivedAt === null ? Number.POSITIVE_INFINITY : Date.parse(stored.value.receivedAt);
        if (received < since) return;
        result.checked++;
        const inCrm = await deps.crmEmails.get(key);
        if (inCrm && isDeepStrictEqual(inCrm, stored.value)) return;
        await lease.check();
        const { key: _key, ...input } = stored.value;
        await deps.crmEmails.upsert(key, input);
        result.repaired++;
      }),
    );
  }
  return result;
}
