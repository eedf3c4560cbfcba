import type { ClassifyContext } from '../mail/classify.js';
import type { DeltaEntry } from '../mail/message.js';
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
 * this account last looked (contact-index.ts `changesFor`), which the CRM's own changes
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
        for (const id of gone) unlinked.delete(id);
      }
      const page = {
        entries: [...found.values()].map((message) => ({ kind: 'message' as const, message })),
        restarted: false,
      };
      outcomes.push(
        await processMailPage(
          deps,
          lease,
          mailbox,
          page,
          { ...base, folder, applyWindow: true },
          known,
          unlinked,
        ),
      );
    }
  }
  return outcomes;
}

/**
 * The same for mail linked already: an e-mail of the window this mailbox linked, one of whose
 * participants has an address that changed in the index (`addresses`; `all` on the account's
 * first look in this process) and now names a contact the e-mail lacks, is read again by id
 * and carried out as a page of its folder, so the contact is added (merge.ts unions them). Our
 * store's copy of the window is scanned, not the CRM.
 */
export async function relinkLinkedMail(
  deps: MailDeps,
  lease: HeldLease,
  mailbox: string,
  base: Omit<ClassifyContext, 'applyWindow' | 'folder'>,
  windowDays: number,
  known: Map<string, KnownCopy>,
  unlinked: Map<string, UnlinkedCopy>,
  addresses: ReadonlySet<string> | 'all',
): Promise<PageOutcome[]> {
  const idsByKey = new Map<string, string[]>();
  for (const [id, copy] of known) idsByKey.set(copy.key, [...(idsByKey.get(copy.key) ?? []), id]);
  const stale: string[] = [];
  for await (const mail of deps.mailStore.mailsSince(base.tenantId, windowStart(base.now, windowDays))) {
    const ids = idsByKey.get(mail.key);
    if (!ids) continue;
    const lacking = mail.participants.some(
      (p) =>
        !base.ownAddresses.has(p.address) &&
        (addresses === 'all' || addresses.has(p.address)) &&
        (base.index.get(p.address) ?? []).some((id) => !mail.contactIds.includes(id)),
    );
    if (lacking) stale.push(...ids);
  }
  const outcomes: PageOutcome[] = [];
  for (let i = 0; i < stale.length; i += CHUNK) {
    const found = await deps.exchangeMail.messages(mailbox, stale.slice(i, i + CHUNK));
    const byFolder = new Map<string, DeltaEntry[]>();
    for (const [id, message] of found) {
      const folder = known.get(id)?.folder;
      if (!folder) continue;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), { kind: 'message', message }]);
    }
    // Gone ones are left to the delta rounds and the reconcile.
    for (const [folder, entries] of byFolder) {
      outcomes.push(
        await processMailPage(
          deps,
          lease,
          mailbox,
          { entries, restarted: false },
          { ...base, folder, applyWindow: true },
          known,
          unlinked,
        ),
      );
    }
  }
  return outcomes;
}
