import { randomUUID } from 'node:crypto';
import type { TestStack } from '../../support/stack.js';
import { newAccount as newGraphAccount, type TestAccount, tag } from '../sync/helpers.js';

/**
 * The Outlook side of the end-to-end scenarios, once per adapter, so the same scenario runs
 * against a Microsoft 365 mailbox (Graph emulator, notifications) and an on-premises one (EWS
 * emulator, polled): what a person does in Outlook, what the mailbox holds, how many writes
 * it saw, and how the product learns of a change (Graph notifies; EWS is polled by the timer).
 */
export interface OutlookContact {
  id: string;
  givenName: string | null;
  surname: string | null;
  emails: string[];
  businessPhones: string[];
  jobTitle: string | null;
  /** Whether the item carries a body (the CRM notes must never get there). */
  hasBody: boolean;
}

export interface NewOutlookContact {
  givenName: string;
  surname: string;
  emails?: string[];
  businessPhones?: string[];
}

export interface OutlookSide {
  name: 'Graph (Microsoft 365)' | 'EWS (on-premises)';
  newAccount(stack: TestStack, name: string): Promise<TestAccount>;
  create(stack: TestStack, account: TestAccount, contact: NewOutlookContact): Promise<string>;
  editJobTitle(stack: TestStack, account: TestAccount, id: string, jobTitle: string): Promise<void>;
  remove(stack: TestStack, account: TestAccount, id: string): Promise<void>;
  contacts(stack: TestStack, account: TestAccount): OutlookContact[];
  /** Until the product has seen every Outlook change and the stack is quiet. */
  sync(stack: TestStack): Promise<void>;
  /** Writes (create, update, delete) the mailbox's server took since `clear`. */
  writes(stack: TestStack): number;
  clear(stack: TestStack): void;
}

export const graphSide: OutlookSide = {
  name: 'Graph (Microsoft 365)',
  newAccount: (stack, name) => newGraphAccount(stack, name),
  async create(stack, account, c) {
    const created = await stack.outlook.createContact(account.mailbox, {
      givenName: c.givenName,
      surname: c.surname,
      emailAddresses: (c.emails ?? []).map((address) => ({ address, name: address })),
      businessPhones: c.businessPhones ?? [],
    });
    return created.id;
  },
  async editJobTitle(stack, account, id, jobTitle) {
    await stack.outlook.updateContact(account.mailbox, id, { jobTitle });
  },
  async remove(stack, account, id) {
    await stack.outlook.deleteContact(account.mailbox, id);
  },
  contacts(stack, account) {
    return stack.graph.admin.contacts(account.mailbox).map((raw) => {
      const c = raw as Record<string, unknown>;
      return {
        id: String(c['id']),
        givenName: (c['givenName'] as string | null | undefined) ?? null,
        surname: (c['surname'] as string | null | undefined) ?? null,
        emails: ((c['emailAddresses'] as { address: string }[] | undefined) ?? []).map((e) => e.address),
        businessPhones: (c['businessPhones'] as string[] | undefined) ?? [],
        jobTitle: (c['jobTitle'] as string | null | undefined) ?? null,
        hasBody: Boolean(c['personalNotes']),
      };
    });
  },
  sync: (stack) => stack.settle(),
  writes(stack) {
    return Object.entries(stack.graph.admin.requests().byRoute)
      .filter(([route]) => /^(PATCH|POST|DELETE|PUT) \/users/.test(route) && !route.includes('$batch'))
      .reduce((sum, [, n]) => sum + n, 0);
  },
  clear: (stack) => stack.graph.admin.clearRequests(),
};

const EWS_WRITES = new Set(['CreateItem', 'UpdateItem', 'DeleteItem']);
const EMAIL_SLOTS = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'];
const BUSINESS_PHONES = ['BusinessPhone', 'BusinessPhone2'];

/**
 * An on-premises account connected as an agent does it: registered (V2, as every account
 * before the migration), then migrated through `POST /api/accounts/{id}/migrate` with the
 * Exchange host, the `DOMAIN\\user` login and the password; the connect test, the secret, the
 * connection and the initial sync are the product's.
 */
export async function newOnPremisesAccount(stack: TestStack, name: string): Promise<TestAccount> {
  const mailbox = `${tag(name)}@immobilien-mueller.example`;
  const user = mailbox.split('@')[0] ?? name;
  const password = `Pw-${randomUUID()}`;
  stack.ews.admin.createMailbox({ smtp: mailbox, user, domain: 'MUELLER', password });
  const registered = await stack.api('POST', '/api/accounts', { email: mailbox, syncVersion: 'v2' });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
  const { id } = registered.json as { id: string };
  const migrated = await stack.api('POST', `/api/accounts/${id}/migrate`, {
    provider: 'onPremises',
    host: new URL(stack.ews.url).host,
    username: `MUELLER\\${user}`,
    password,
  });
  if (migrated.status >= 300) throw new Error(`migrate: ${migrated.status} ${migrated.text}`);
  await stack.settle();
  return { id, mailbox };
}

export const ewsSide: OutlookSide = {
  name: 'EWS (on-premises)',
  newAccount: (stack, name) => newOnPremisesAccount(stack, name),
  async create(stack, account, c) {
    const emails = Object.fromEntries((c.emails ?? []).map((e, i) => [EMAIL_SLOTS[i] ?? 'x', e]));
    const phones = Object.fromEntries((c.businessPhones ?? []).map((p, i) => [BUSINESS_PHONES[i] ?? 'x', p]));
    return stack.ews.admin.outlookCreate(account.mailbox, {
      fields: { GivenName: c.givenName, Surname: c.surname, DisplayName: `${c.givenName} ${c.surname}` },
      emails,
      phones,
    }).id;
  },
  async editJobTitle(stack, account, id, jobTitle) {
    stack.ews.admin.outlookEdit(account.mailbox, id, { fields: { JobTitle: jobTitle } });
  },
  async remove(stack, account, id) {
    stack.ews.admin.outlookDelete(account.mailbox, id);
  },
  contacts(stack, account) {
    const deleted = stack.ews.admin.folderId(account.mailbox, 'deleteditems');
    return stack.ews.admin
      .contacts(account.mailbox)
      .filter((item) => item.folderId !== deleted && item.data.fields['ItemClass']?.startsWith('IPM.Contact'))
      .map((item) => ({
        id: item.id,
        givenName: item.data.fields['GivenName'] ?? null,
        surname: item.data.fields['Surname'] ?? null,
        emails: EMAIL_SLOTS.map((k) => item.data.emails[k]).filter((e): e is string => Boolean(e)),
        businessPhones: BUSINESS_PHONES.map((k) => item.data.phones[k]).filter((p): p is string =>
          Boolean(p),
        ),
        jobTitle: item.data.fields['JobTitle'] ?? null,
        hasBody: Boolean(item.data.fields['Body']),
      }));
  },
  /**
   * One run of the polling timer (every account's slot is due: EWS_POLL_INTERVAL_SECONDS=1;
   * a second apart, so its slot is a new one and not a duplicate the queue drops).
   */
  async sync(stack) {
    await stack.settle();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await stack.runTimer('ewsPoll');
    await stack.settle();
  },
  writes(stack) {
    return stack.ews.admin.requests().items.filter((r) => r.operation && EWS_WRITES.has(r.operation)).length;
  },
  clear(stack) {
    stack.ews.admin.log.length = 0;
  },
};

/** Settings for a stack that runs both: every EWS account due at each run of the polling timer. */
export const BOTH_SIDES_SETTINGS = {
  EWS_POLL_INTERVAL_SECONDS: '1',
  EWS_POLL_SCHEDULE: '0 0 0 1 1 *',
};
