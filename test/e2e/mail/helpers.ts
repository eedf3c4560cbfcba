import type { Client } from '@microsoft/microsoft-graph-client';
import { RestCrmEmails } from '../../../shared/adapters/crm/rest-crm-emails.js';
import { createGraphClient } from '../../../shared/adapters/graph/graph-client.js';
import type { CrmMail } from '../../../shared/mail/crm-mail.js';
import type { TestStack } from '../../support/stack.js';

/** Steps of the mail end-to-end tests: mail in and out of the emulator's mailboxes, the CRM's e-mails. */

export const person = (address: string, name?: string) => ({
  emailAddress: { address, ...(name ? { name } : {}) },
});

/** Mail from outside into `mailbox` (the Graph emulator's admin route). */
export async function receive(
  stack: TestStack,
  mailbox: string,
  message: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(
    `${stack.graph.url}/_emulator/users/${encodeURIComponent(mailbox)}/messages/receive`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Anfrage',
        body: { contentType: 'text', content: 'Guten Tag' },
        ...message,
      }),
    },
  );
  if (response.status !== 201) throw new Error(`receive failed: ${response.status} ${await response.text()}`);
}

let graph: Client | undefined;

/** `POST /users/{m}/sendMail` as the agent's Outlook does it (the emulator delivers between its mailboxes). */
export async function sendMail(
  stack: TestStack,
  from: string,
  message: Record<string, unknown>,
): Promise<void> {
  graph ??= createGraphClient({
    baseUrl: stack.graph.url,
    authorityHost: stack.graph.authorityHost,
    tenantId: stack.graph.tenantId,
    clientId: stack.graph.clientId,
    clientSecret: stack.graph.clientSecret,
  });
  await graph.api(`/users/${encodeURIComponent(from)}/sendMail`).post({ message, saveToSentItems: true });
}

export function crmEmails(stack: TestStack): RestCrmEmails {
  return new RestCrmEmails({ baseUrl: stack.crm.url, token: stack.crm.token });
}

/** Every e-mail the CRM shows on the contact's record. */
export async function emailsOf(stack: TestStack, contactId: string): Promise<CrmMail[]> {
  const all: CrmMail[] = [];
  let pageToken: string | undefined;
  do {
    const page = await crmEmails(stack).listForContact(contactId, pageToken ? { pageToken } : {});
    all.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}
