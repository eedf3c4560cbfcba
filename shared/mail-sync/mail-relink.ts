import type { ClassifyContext } from '../mail/classify.js';
import { windowStart } from '../mail/window.js';
import type { HeldLease } from '../sync/lease-guard.js';
import type { MailDeps } from './deps.js';
import { type PageOutcome, processMailPage } from './mail-page.js';
import type { KnownCopy, UnlinkedCopy } from './ports.js';

/**
 * Earlier mail for contacts that were created or gained an address (issue 17, item 2): the
 * window's unlinked copies whose participants now match a CRM contact are read again by id
 * (20 per `$batch`) and carried out like a delta page of their folder, so they link exactly as
 * they would have, once. Gone ones are dropped. Runs whenever the contact index changed since
 * this account last looked (contact-index.ts `changedFor`), which the CRM's own changes
 * bring within one mail round (a notification or the sweep).
 */
const CHUNK = 100;

export async function relinkEarlierMail(
  deps: MailDeps,
  lease: HeldLease,
  mailbox: string,
  base: Omit<ClassifyContext, 'applyWindow' | 'folder'>,
  windowDays: number,
  known: Map<string, KnownCopy>,
  unlinked: Map<string, UnlinkedCopy>,
): Promise<PageOutcome[]> {
  const since = windowStart(base.now, windowDays).getTime();
  const candidates = [...unlinked.values()].filter(
    (copy) =>
      (copy.receivedAt === null || Date.parse(copy.receivedAt) >= since) &&
      copy.addresses.some((address) => !base.ownAddresses.has(address) && base.index.has(address)),
  );
  const ids = new Set(unlinked.keys());
  const outcomes: PageOutcome[] = [];
  const byFolder = new Map<string, UnlinkedCopy[]>();
  for (const copy of candidates) byFolder.set(copy.folder, [...(byFolder.get(copy.folder) ?? []), copy]);
  for (const [folder, copies] of byFolder) {
    for (let i = 0; i < copies.length; i += CHUNK) {
      const chunk = copies.slice(i, i + CHUNK).map((c) => c.messageId);
      const found = await deps.exchangeMail.messages(mailbox, chunk);
      const gone = chunk.filter((id) => !found.has(id));
      if (gone.length > 0) {
        await lease.check();
        await deps.mailStore.forgetUnlinked(base.accountId, gone);
        for (const id of gone) ids.delete(id);
      }
      const page = {
        entries: [...found.values()].map((message) => ({ kind: 'message' as const, message })),
        restarted: false,
      };
      outcomes.push(
        await processMailPage(deps, lease, mailbox, page, { ...base, folder, applyWindow: true }, known, ids),
      );
    }
  }
  for (const id of [...unlinked.keys()]) if (!ids.has(id)) unlinked.delete(id);
  return outcomes;
}
