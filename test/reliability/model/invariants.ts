import { isDeepStrictEqual } from 'node:util';
import {
  type CrmContact,
  crmContent,
  EXCHANGE_FIELD_NAMES,
  type ExchangeContact,
  exchangeFieldsOf,
  graphContactSchema,
  projectToExchange,
} from '../../../shared/contact/index.js';
import type { ContactLink } from '../../../shared/sync/link.js';
import { checkCrmOnlyData, checkUnmapped } from './crm-only-checks.js';
import { heldWindows } from './held.js';
import { byImmutableId } from './ids.js';
import type { Run, RunModel, TokenModel } from './model.js';
import { tokenOf } from './values.js';

/** One broken rule of DESIGN section 9, with enough detail to find the contact. */
export interface Violation {
  invariant: string;
  detail: string;
}

const COUNTRY = { defaultCountry: 'DE' };

/** Every invariant of DESIGN section 9 that can be seen from outside, after the queues drained. */
export async function checkInvariants(run: Run, model: RunModel): Promise<Violation[]> {
  const violations: Violation[] = [];
  const fail = (invariant: string, detail: string) => violations.push({ invariant, detail });
  const links: ContactLink[] = [];
  for await (const link of run.stack.runtime.deps.mirror.list(run.accountId)) links.push(link);
  const outlook = run.stack.graph.admin
    .contacts(run.mailbox)
    .map((c) => graphContactSchema.parse(c) as ExchangeContact);
  const crm = run.stack.crm.admin.contacts();
  const crmById = new Map(crm.map((c) => [c.id, c]));
  const outlookById = new Map(outlook.map((x) => [x.id, x]));
  const { byImmutable, immutableOf } = await byImmutableId(run, outlook);

  for (const x of outlook) {
    const n = links.filter((l) => l.exchangeId === immutableOf.get(x.id)).length;
    if (n !== 1)
      fail('no duplicates: Exchange contact linked once', `${x.id} (${x.givenName}) has ${n} links`);
  }
  for (const c of crm.filter((c) => c.syncAccounts.includes(run.accountId))) {
    const n = links.filter((l) => l.crmId === c.id).length;
    if (n !== 1)
      fail('no duplicates: tagged CRM contact linked once', `${c.id} (${c.firstName}) has ${n} links`);
  }
  for (const link of links) {
    const c = crmById.get(link.crmId);
    const x = byImmutable.get(link.exchangeId);
    if (!c || !x) {
      fail('mirror covers exactly the linked contacts', `link ${link.linkId}: crm ${!!c}, exchange ${!!x}`);
      continue;
    }
    if (!c.syncAccounts.includes(run.accountId))
      fail('linked CRM contact carries the sync tag', `${c.id} (${c.firstName})`);
    // What Exchange must hold: the CRM contact's projection, with the values only Exchange can
    // hold (held.ts) where the Outlook user put them and the CRM kept them.
    const have = exchangeFieldsOf(asShownInBerlin(x), 'DE');
    const token = model.tokens.find((t) => t.token === tokenOf(x.givenName));
    const want = projectToExchange(crmContent(c), {
      ...COUNTRY,
      held: heldWindows(token?.held, have),
    }).fields;
    const differ = EXCHANGE_FIELD_NAMES.filter((f) => !isDeepStrictEqual(want[f], have[f]));
    if (differ.length > 0)
      fail(
        'convergence: linked pair holds the same mapped content',
        `${c.firstName}: ${differ.map((f) => `${f} crm=${JSON.stringify(want[f])} exchange=${JSON.stringify(have[f])}`).join('; ')}`,
      );
  }
  for (const token of model.tokens) checkToken(token, crm, outlook, run, fail);
  for (const token of model.tokens) {
    const c = crm.find((c) => tokenOf(c.firstName) === token.token);
    if (c) checkCrmOnlyData(token, c, fail);
    checkUnmapped(token, outlookById, fail);
  }
  await checkAccount(run, fail);
  return violations;
}

type Fail = (invariant: string, detail: string) => void;

/**
 * The birthday as the run's mailbox (Europe/Berlin, the emulator's default zone) shows it:
 * Graph keeps an instant, Outlook means a calendar date (issue 13 item 3). Worked out here with
 * Intl, not with the adapter's code, so the check does not share the adapter's mistakes.
 */
function asShownInBerlin(contact: ExchangeContact): ExchangeContact {
  const raw = contact.birthday;
  if (typeof raw !== 'string' || !raw.includes('T')) return contact;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(raw));
  return { ...contact, birthday: date };
}

/** No contact lost or duplicated, against what the users did to this logical contact. */
function checkToken(token: TokenModel, crm: CrmContact[], outlook: ExchangeContact[], run: Run, fail: Fail) {
  const inCrm = crm.filter((c) => tokenOf(c.firstName) === token.token);
  const inOutlook = outlook.filter((x) => tokenOf(x.givenName) === token.token);
  const name = `${token.token} (${token.origin})`;
  if (inCrm.length > 1)
    fail('no duplicates: one CRM contact per contact', `${name}: ${inCrm.length} in the CRM`);
  if (inOutlook.length > 1)
    fail('no duplicates: one Outlook contact per contact', `${name}: ${inOutlook.length} in Outlook`);
  const crmMustExist = !token.crmDeleted && (token.origin === 'crm' || !token.outlookDeleted);
  if (crmMustExist && inCrm.length === 0)
    fail('no data loss: contact kept in the CRM', `${name} is gone from the CRM`);
  // Deleted in Outlook and left alone in the CRM: the delete stays one whatever the timing
  // (DESIGN 9.6; soak seed 1051583329 found the copy made again from the CRM). Except a copy
  // deleted while a crash kept its link from the mirror: the retry cannot tell it from a create
  // that never happened and makes it again (soak seed 567027178, engine-unrecorded-copy.test.ts).
  const deleteStays = !token.restored && !token.crmTouched && !token.crmDeleted && !token.deletedUnrecorded;
  if (token.outlookDeleted && deleteStays) {
    if (inOutlook.length > 0) fail('an Outlook delete stays a delete', `${name} is in Outlook again`);
    if (inCrm[0]?.syncAccounts.includes(run.accountId))
      fail('an Outlook delete unlinks the CRM contact', `${name} still carries the sync tag`);
  }
  // Only contacts nobody deleted or untagged have an outcome that does not depend on timing.
  if (token.crmDeleted || token.outlookDeleted || token.untagged) return;
  const linked = token.origin === 'outlook' || token.tagged;
  if (linked && inOutlook.length === 0)
    fail('no data loss: synced contact in Outlook', `${name} missing in Outlook`);
  if (!linked && inOutlook.length > 0)
    fail('only tagged CRM contacts reach Outlook', `${name} is in Outlook`);
  if (linked && inCrm[0] && !inCrm[0].syncAccounts.includes(run.accountId))
    fail('linked CRM contact carries the sync tag', `${name} lost its tag`);
}

async function checkAccount(run: Run, fail: Fail) {
  const account = (await run.stack.runtime.deps.accounts.get(run.accountId))?.value;
  if (!account) return fail('account kept', `${run.accountId} is gone`);
  if (account.pendingCreates.length > 0)
    fail('no half-done creates after the drain', JSON.stringify(account.pendingCreates).slice(0, 300));
  if (account.status.heldDeletes > 0) fail('no deletes held', `${account.status.heldDeletes} held`);
  // Every outage ends before the drain: the status must say the mailbox is readable again.
  if (account.status.mailbox)
    fail('the mailbox status clears once the mailbox is back', JSON.stringify(account.status.mailbox));
  const id = account.subscription?.id;
  if (!id || !run.stack.graph.admin.subscriptions().some((s) => s.id === id))
    fail('the account keeps a live Graph subscription', `subscription ${id ?? 'none'}`);
}
