import { PassThrough, type Readable } from 'node:stream';
import type { CrmContact } from '../contact/index.js';
import { computeMaxCounts, writeContactsCsv } from '../export/index.js';
import type { SyncDeps } from '../sync/deps.js';
import { isTaggedFor } from '../sync/plan.js';

/**
 * The account's contacts with everything the CRM holds, as Outlook CSV, streamed page by page:
 * a first pass over the CRM finds how many extra columns are needed (4th e-mail, 3rd phone, …),
 * the second writes the rows. Neither pass keeps more than one page in memory.
 */
export function exportContactsCsv(deps: SyncDeps, accountId: string): Readable {
  const out = new PassThrough();
  const run = async () => {
    const maxCounts = await computeMaxCounts(accountContacts(deps, accountId));
    await writeContactsCsv(accountContacts(deps, accountId), out, { maxCounts });
  };
  run().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

async function* accountContacts(deps: SyncDeps, accountId: string): AsyncIterable<CrmContact> {
  let pageToken: string | undefined;
  do {
    const page = await deps.crm.list(pageToken ? { pageToken } : {});
    for (const contact of page.items) if (isTaggedFor(contact, accountId)) yield contact;
    pageToken = page.nextPageToken;
  } while (pageToken);
}
