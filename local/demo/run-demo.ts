import type { MailAccountState } from '../../shared/mail-sync/mail-state.js';
import { QUEUE_NAMES } from '../../shared/ports.js';
import { addTally, emptyTally, type SyncTally } from '../../shared/sync/outcome.js';
import type { RunningStack } from '../stack.js';
import { driveStack } from '../stack-driver.js';
import { DEMO_AGENT_MAIL } from '../stack-identity.js';
import { crmContacts, outlookContacts } from './data.js';
import { demoMails } from './mail-data.js';

/** The demo agent's mailbox: the stack creates her as a user of the default tenant. */
export const DEMO_MAILBOX = DEMO_AGENT_MAIL;
/** The demo agent's second address on the old V2 sync (an alias of her mailbox). */
export const DEMO_LEGACY_ADDRESS = 'anna@immobilien-demo.example';

/**
 * The demo: an estate agent's mailbox with 300 contacts in two folders and a CRM with 90
 * contacts, 45 of them tagged for the mailbox (every third one carries more than Exchange can
 * hold). The agent registers her own mailbox through the public API, signed in with her token,
 * and the first sync is shown until it is done.
 */
export async function runDemo(
  stack: RunningStack,
  print: (line: string) => void,
): Promise<{ accountId: string; tally: SyncTally; mail: MailAccountState | null }> {
  const tally = emptyTally();
  stack.runtime.observe = (_message, result) => addTally(tally, result.tally);

  const { outlook, crmUser: crm, api } = driveStack(stack);

  print(
    'demo: seeding the mailbox (300 contacts in "Kontakte" and "Kunden 2025") and the CRM (90 contacts)...',
  );
  await outlook.createContacts(DEMO_MAILBOX, outlookContacts(240, 7, 'kunden.example'));
  const folder = await outlook.createFolder(DEMO_MAILBOX, 'Kunden 2025');
  await outlook.createContacts(DEMO_MAILBOX, outlookContacts(60, 11, 'kunden2025.example'), folder.id);
  const seeded = await stack.crm.admin.seed(crmContacts(90, 3));

  const clients = seeded
    .filter((_, i) => i % 2 === 0)
    .flatMap((c) => c.emails.slice(0, 1).map((e) => e.address));
  const mails = demoMails({
    agent: { mail: DEMO_MAILBOX, name: 'Anna Makler' },
    clients,
    now: stack.runtime.deps.clock.now(),
    count: 300,
  });
  print(
    `demo: seeding the mailbox with ${mails.length} mails over five months (clients, internal, newsletters, private)...`,
  );
  await receiveMails(stack, DEMO_MAILBOX, mails);

  const response = await api(
    'POST',
    '/api/accounts',
    { email: DEMO_MAILBOX, provider: 'microsoft365', syncVersion: 'v3' },
    { as: 'agent' },
  );
  if (response.status !== 201)
    throw new Error(`demo: registering the account failed with ${response.status}: ${response.text}`);
  const account = response.json as { id: string };
  print(`demo: account ${account.id} registered; tagging 45 CRM contacts for it...`);
  for (const [i, contact] of seeded.entries()) {
    if (i % 2 === 0) await crm.update(contact.id, { syncAccounts: [account.id] });
  }

  // Her older address still runs on the V2 sync: the web app shows its banner and migrates it
  // with "Zu V3 migrieren" (an alias of the same mailbox, registered by the administrator).
  const legacy = await api(
    'POST',
    '/api/accounts',
    { email: DEMO_LEGACY_ADDRESS, userId: stack.users.agent.id, syncVersion: 'v2' },
    { as: 'admin' },
  );
  if (legacy.status !== 201)
    throw new Error(`demo: registering the V2 account failed with ${legacy.status}: ${legacy.text}`);
  print(
    `demo: V2 account ${DEMO_LEGACY_ADDRESS} registered (shown with its migration banner in the web app)`,
  );

  await waitForQuiet(stack, account.id, tally, print);
  const mail = (await stack.runtime.deps.accounts.get(account.id))?.value.mail ?? null;
  return { accountId: account.id, tally, mail };
}

async function receiveMails(stack: RunningStack, mailbox: string, messages: Record<string, unknown>[]) {
  const response = await fetch(
    `${stack.graph.url}/_emulator/users/${encodeURIComponent(mailbox)}/messages/receive`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
    },
  );
  if (response.status !== 201)
    throw new Error(`demo: seeding mail failed with ${response.status}: ${await response.text()}`);
}

async function waitForQuiet(
  stack: RunningStack,
  accountId: string,
  tally: SyncTally,
  print: (line: string) => void,
) {
  const started = Date.now();
  let quietRounds = 0;
  while (quietRounds < 3) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pending = (await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)))).reduce(
      (a, b) => a + b,
      0,
    );
    const account = await stack.runtime.deps.accounts.get(accountId);
    const synced = account?.value.status.lastSyncAt !== null;
    quietRounds = pending === 0 && synced ? quietRounds + 1 : 0;
    print(
      `demo: ${Math.round((Date.now() - started) / 1000)}s  Outlook→CRM created ${tally.createdInCrm}, linked ${tally.linked}, ` +
        `CRM→Outlook created ${tally.createdInExchange}, updated ${tally.updatedCrm + tally.updatedExchange}, queued ${pending}`,
    );
    if (Date.now() - started > 180_000)
      throw new Error('demo: the first sync did not finish within 3 minutes; see the log above');
  }
}

export function summaryLines(tally: SyncTally, mail: MailAccountState | null = null): string[] {
  const skipped = Object.entries(mail?.counts.skipped ?? {})
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const mailLines = mail
    ? [
        `  mail (${mail.stage})                 ${mail.progress.messagesSeen} seen, ${mail.counts.linked} on CRM records, ${mail.counts.upserts} CRM writes`,
        `  mail kept out                     ${skipped || 'none'}`,
      ]
    : [];
  return [
    'demo: first sync done',
    `  created in the CRM from Outlook   ${tally.createdInCrm}`,
    `  created in Outlook from the CRM   ${tally.createdInExchange}`,
    `  linked (same person on both)      ${tally.linked}`,
    `  updated (CRM / Outlook)           ${tally.updatedCrm} / ${tally.updatedExchange}`,
    `  values kept back by the limits    ${tally.keptBack}  (see GET /api/accounts/{id} and the action log)`,
    `  conflicts                         ${tally.conflicts}`,
    `  failed                            ${tally.failed}`,
    ...mailLines,
  ];
}
