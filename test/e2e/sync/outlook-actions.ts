import { QUEUE_NAMES } from '../../../shared/ports.js';
import type { TestStack } from '../../support/stack.js';

/** Small probes the issue-13 end-to-end tests share: ids as Outlook sees them, dead letters, the account's status. */

/** A contact's id as the Outlook user's client sees it (no `Prefer: IdType="ImmutableId"`). */
export async function regularId(
  stack: TestStack,
  mailbox: string,
  folderId: string,
  surname: string,
): Promise<string | undefined> {
  const page = await stack.outlook.request<{ value: { id: string; surname?: string }[] }>(
    'GET',
    `/users/${encodeURIComponent(mailbox)}/contactFolders/${encodeURIComponent(folderId)}/contacts?$top=1000`,
  );
  return page.value.find((c) => c.surname === surname)?.id;
}

/** The reasons of the poison (dead-letter) messages that name the account. */
export async function poisonFor(stack: TestStack, accountId: string): Promise<string[]> {
  const all = (await Promise.all(QUEUE_NAMES.map((q) => stack.transport.peekPoison(q)))).flat();
  return all.filter((p) => JSON.stringify(p).includes(accountId)).map((p) => p.reason);
}

export async function accountStatus(stack: TestStack, accountId: string) {
  const response = await stack.api('GET', `/api/accounts/${accountId}`);
  if (response.status !== 200) throw new Error(`GET account answered ${response.status}`);
  return response.json as { sync: Record<string, unknown> & { mailbox?: Record<string, unknown> | null } };
}
