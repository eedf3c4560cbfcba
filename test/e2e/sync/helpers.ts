import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  type CrmContact,
  crmContent,
  EMPTY_FIELDS,
  type ExchangeContact,
  type ExchangeFields,
  exchangeFieldsOf,
  graphContactSchema,
  projectToExchange,
} from '../../../shared/contact/index.js';
import type { TestStack } from '../../support/stack.js';

/**
 * Shared steps of the issue-5 end-to-end tests: a fresh account per test (so tests of one file
 * share a stack without sharing contacts), write counting in both emulators' request logs,
 * polling, and the "both sides agree" comparison.
 */

export interface TestAccount {
  id: string;
  mailbox: string;
}

/** A token unique to one test, for mailbox names, surnames and e-mail addresses. */
export function tag(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A new Exchange mailbox registered as a V3 account, initial sync done. */
export async function newAccount(stack: TestStack, name: string): Promise<TestAccount> {
  const mailbox = `${tag(name)}@contoso.example`;
  stack.graph.admin.createMailbox({ mail: mailbox });
  const account = await stack.registerAccount({
    email: mailbox,
    syncVersion: 'v3',
    provider: 'microsoft365',
  });
  return { id: account.id, mailbox };
}

/** Graph routes that change something, without the `$batch` envelope (its parts are logged one by one). */
export function graphWrites(stack: TestStack): Record<string, number> {
  const byRoute = stack.graph.admin.requests().byRoute;
  return Object.fromEntries(
    Object.entries(byRoute).filter(
      ([route]) => /^(PATCH|POST|DELETE|PUT) /.test(route) && route !== 'POST /$batch',
    ),
  );
}

/** CRM API routes that change something (the admin API is logged apart and left out). */
export function crmWrites(stack: TestStack): Record<string, number> {
  const counts = stack.crm.admin.requests().api.counts;
  return Object.fromEntries(
    Object.entries(counts).filter(([route]) => /^(PATCH|POST|DELETE|PUT) /.test(route)),
  );
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

export function clearRequests(stack: TestStack): void {
  stack.graph.admin.clearRequests();
  stack.crm.admin.clearRequests();
}

/** Polls `probe` until it returns a value that is not undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function outlookContacts(stack: TestStack, account: TestAccount): ExchangeContact[] {
  // The emulator's admin view is the Graph contact as stored; validated like the adapter does.
  return stack.graph.admin
    .contacts(account.mailbox)
    .map((c) => graphContactSchema.parse(c) as ExchangeContact);
}

export function outlookBySurname(stack: TestStack, account: TestAccount, surname: string): ExchangeContact[] {
  return outlookContacts(stack, account).filter((c) => c.surname === surname);
}

export function crmByLastName(stack: TestStack, lastName: string): CrmContact[] {
  return stack.crm.admin.contacts().filter((c) => c.lastName === lastName);
}

export async function linkCount(stack: TestStack, accountId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.runtime.deps.mirror.list(accountId)) n++;
  return n;
}

/**
 * The mapped fields of both sides: what Exchange holds, and what Exchange must hold of the CRM
 * contact. `held` names what the Outlook user typed into the slots where Exchange holds values
 * the sync never writes itself (a number the CRM cannot canonicalise, an e-mail address twice;
 * shared/contact/held.ts): such a value must stay in Outlook while the CRM holds it too. The
 * test says what was typed, not the copy: taken from the copy, a held value the sync wrongly
 * removed from Outlook (or wrote there itself) would compare equal.
 */
export function bothSides(
  exchange: ExchangeContact,
  crm: CrmContact,
  options: { defaultCountry?: string; held?: readonly Partial<ExchangeFields>[] } = {},
): { outlook: ExchangeFields; crm: ExchangeFields } {
  const defaultCountry = options.defaultCountry ?? 'DE';
  const held = (options.held ?? []).map((typed) => ({ ...EMPTY_FIELDS, ...typed }));
  return {
    outlook: exchangeFieldsOf(exchange, defaultCountry),
    crm: projectToExchange(crmContent(crm), { defaultCountry, held }).fields,
  };
}

/**
 * Rule 1 (convergence) for one account: every Outlook contact is linked to exactly one CRM
 * contact tagged for the account (and the other way round), and each pair holds the same
 * mapped content. `held` says, per Outlook contact, what its user typed that Exchange holds
 * and the sync never writes (see bothSides). Returns the differences; an empty list means both
 * sides agree.
 */
export async function disagreements(
  stack: TestStack,
  account: TestAccount,
  options: { held?: (exchange: ExchangeContact) => readonly Partial<ExchangeFields>[] } = {},
): Promise<string[]> {
  const problems: string[] = [];
  // The product asks Graph for immutable ids (Prefer: IdType="ImmutableId"), so its links hold
  // those; the emulator's admin view has the regular ids. Ask Graph the way the product does.
  const outlook = new Map(
    await Promise.all(
      outlookContacts(stack, account).map(
        async (c) => [await immutableIdOf(stack, account, c.id), c] as const,
      ),
    ),
  );
  const crm = new Map(
    stack.crm.admin
      .contacts()
      .filter((c) => c.syncAccounts.includes(account.id))
      .map((c) => [c.id, c]),
  );
  const linkedOutlook = new Set<string>();
  const linkedCrm = new Set<string>();
  for await (const link of stack.runtime.deps.mirror.list(account.id)) {
    linkedOutlook.add(link.exchangeId);
    linkedCrm.add(link.crmId);
    const exchange = outlook.get(link.exchangeId);
    const contact = crm.get(link.crmId);
    if (!exchange || !contact) {
      problems.push(
        `link ${link.linkId}: outlook ${exchange ? 'present' : 'missing'}, crm ${contact ? 'present' : 'missing'}`,
      );
      continue;
    }
    const sides = bothSides(exchange, contact, { held: options.held?.(exchange) ?? [] });
    if (!isDeepStrictEqual(sides.outlook, sides.crm))
      problems.push(
        `link ${link.linkId}: outlook ${JSON.stringify(sides.outlook)} != crm ${JSON.stringify(sides.crm)}`,
      );
  }
  for (const id of outlook.keys()) if (!linkedOutlook.has(id)) problems.push(`outlook ${id} is not linked`);
  for (const id of crm.keys()) if (!linkedCrm.has(id)) problems.push(`crm ${id} is not linked`);
  return problems;
}

/** The id the product sees for an Outlook contact: Graph's immutable id. */
export async function immutableIdOf(stack: TestStack, account: TestAccount, id: string): Promise<string> {
  const contact = await stack.outlook.request<{ id: string }>(
    'GET',
    `/users/${encodeURIComponent(account.mailbox)}/contacts/${encodeURIComponent(id)}?$select=id`,
    undefined,
    { Prefer: 'IdType="ImmutableId"' },
  );
  return contact.id;
}

/** Runs the reconcile timer as the Functions admin route does, then waits for the stack to settle. */
export async function reconcile(stack: TestStack): Promise<void> {
  const response = await fetch(`${stack.host.url}/admin/functions/reconcile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': stack.host.masterKey },
    body: '{}',
  });
  if (response.status >= 300) throw new Error(`reconcile answered ${response.status}`);
  await stack.settle();
}
