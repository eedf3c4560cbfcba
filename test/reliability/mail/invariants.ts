import { isDeepStrictEqual } from 'node:util';
import { emailKey } from '../../../shared/mail/key.js';
import { FOLDERS, SYNCED } from './fake-mail.js';
import { type MailWorld, TENANT } from './world.js';

/**
 * What must hold once the queue has drained and every account was swept twice (issue 17,
 * Done when): computed from the mailboxes as they are (the truth), not from the product's
 * store.
 *
 * - `exactlyOnce`: one CRM e-mail per tenant and internetMessageId, under the key derived
 *   from them, for every message a mailbox holds a linkable copy of;
 * - `mailboxesListed`: each e-mail lists exactly the mailboxes that hold a linkable copy of it
 *   now, with the folder the copy is in (a copy moved, deleted or categorised private takes
 *   only that mailbox off; the e-mail stays);
 * - `participantsMerged`: its participants include every copy's (bcc from the sender's copy)
 *   and its contacts every client on them;
 * - `nothingUnlinkedSent`: every CRM e-mail names at least one CRM contact and is about a
 *   message one of whose copies was includable once (not bulk, in a synced folder without the
 *   private category): excluded mail is never sent;
 * - `storeMatchesCrm`: our store's e-mail is the CRM's (the reconcile puts back what differs);
 *   only an e-mail no mailbox holds any more may be in our store alone (its copy went between
 *   our store's write and the CRM's, when a worker died there).
 */
export type MailInvariant =
  | 'exactlyOnce'
  | 'mailboxesListed'
  | 'participantsMerged'
  | 'nothingUnlinkedSent'
  | 'storeMatchesCrm';

export interface MailViolation {
  invariant: MailInvariant;
  detail: string;
}

interface ExpectedCopy {
  accountId: string;
  folder: string;
  participants: Set<string>;
  contacts: Set<string>;
}

export function checkMailInvariants(world: MailWorld): MailViolation[] {
  const violations: MailViolation[] = [];
  const fail = (invariant: MailInvariant, detail: string) => violations.push({ invariant, detail });
  const contactsOf = new Map<string, string[]>();
  for (const contact of world.crm.contacts.values()) {
    for (const { address } of contact.emails)
      contactsOf.set(address, [...(contactsOf.get(address) ?? []), contact.id]);
  }
  const own = new Set(world.agents.map((a) => a.address));
  const mailsById = new Map(world.mails.map((m) => [m.internetMessageId, m]));

  // The truth: every linkable copy in a synced folder, by internetMessageId.
  const expected = new Map<string, ExpectedCopy[]>();
  for (const agent of world.agents) {
    for (const copy of world.mailboxes.copies(agent.address)) {
      if (!SYNCED.includes(copy.folder)) continue;
      const m = copy.message;
      const mail = mailsById.get(m.internetMessageId ?? '');
      if (!mail || mail.bulk || (m.categories ?? []).includes('Privat')) continue;
      const visible = [
        ['from', [mail.from]],
        ['to', mail.to],
        ['cc', mail.cc],
        ['bcc', m.bccRecipients?.length ? mail.bcc : []],
      ] as const;
      const all = visible.flatMap(([, list]) => list);
      if (all.every((a) => a.endsWith('@contoso.example'))) continue; // internal
      const participants = new Set(visible.flatMap(([role, list]) => list.map((a) => `${role} ${a}`)));
      const contacts = new Set(all.filter((a) => !own.has(a)).flatMap((a) => contactsOf.get(a) ?? []));
      if (contacts.size === 0) continue;
      const list = expected.get(mail.internetMessageId) ?? [];
      list.push({ accountId: agent.accountId, folder: FOLDERS[copy.folder], participants, contacts });
      expected.set(mail.internetMessageId, list);
    }
  }

  const crmMails = [...world.crm.mails.values()];
  const byMessageId = new Map<string, number>();
  for (const mail of crmMails)
    byMessageId.set(mail.internetMessageId, (byMessageId.get(mail.internetMessageId) ?? 0) + 1);
  for (const [id, n] of byMessageId) if (n > 1) fail('exactlyOnce', `${n} CRM e-mails for ${id}`);

  for (const [internetMessageId, copies] of expected) {
    const key = emailKey(TENANT, internetMessageId);
    const mail = world.crm.mails.get(key);
    if (!mail) {
      fail('exactlyOnce', `no CRM e-mail for ${internetMessageId} (${copies.length} linkable copies)`);
      continue;
    }
    if (mail.internetMessageId !== internetMessageId)
      fail('exactlyOnce', `${key} holds ${mail.internetMessageId}`);
    const want = copies.map((c) => ({ accountId: c.accountId, folder: c.folder })).sort(byAccount);
    const have = [...mail.mailboxes].sort(byAccount);
    if (!isDeepStrictEqual(want, have)) {
      fail(
        'mailboxesListed',
        `${internetMessageId}: lists ${JSON.stringify(have)}, the mailboxes hold ${JSON.stringify(want)}`,
      );
    }
    const listed = new Set(mail.participants.map((p) => `${p.role} ${p.address}`));
    for (const copy of copies) {
      for (const p of copy.participants)
        if (!listed.has(p)) fail('participantsMerged', `${internetMessageId}: ${p} missing`);
      for (const c of copy.contacts)
        if (!mail.contactIds.includes(c))
          fail('participantsMerged', `${internetMessageId}: contact ${c} missing`);
    }
  }

  for (const mail of crmMails) {
    const truth = mailsById.get(mail.internetMessageId);
    if (!truth) {
      fail('nothingUnlinkedSent', `${mail.key} is about no message of the mailboxes`);
      continue;
    }
    if (!truth.everIncludable || truth.bulk)
      fail('nothingUnlinkedSent', `${mail.internetMessageId} was never includable but is in the CRM`);
    if (mail.contactIds.length === 0) fail('nothingUnlinkedSent', `${mail.key} names no contact`);
    if (!expected.has(mail.internetMessageId) && mail.mailboxes.length > 0) {
      fail(
        'mailboxesListed',
        `${mail.internetMessageId}: no mailbox holds a linkable copy, yet it lists ${JSON.stringify(mail.mailboxes)}`,
      );
    }
    const stored = world.store.mails.get(`${TENANT}|${mail.key}`)?.mail;
    if (!isDeepStrictEqual(stored, mail))
      fail('storeMatchesCrm', `${mail.internetMessageId}: our store and the CRM differ`);
  }
  for (const { mail } of world.store.mails.values()) {
    // Allowed only for an e-mail no mailbox holds: a worker died between our store's write and
    // the CRM's, and the copy went before anything sent it again (the CRM never showed it).
    if (!world.crm.mails.has(mail.key) && mail.mailboxes.length > 0) {
      fail(
        'storeMatchesCrm',
        `${mail.internetMessageId}: in our store listing ${JSON.stringify(mail.mailboxes)}, not in the CRM`,
      );
    }
  }
  return violations;
}

const byAccount = (a: { accountId: string }, b: { accountId: string }) =>
  a.accountId.localeCompare(b.accountId);
