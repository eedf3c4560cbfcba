import type { ExchangeContact } from '../../../shared/contact/index.js';
import type { Run } from './model.js';
import { asOutlookUser } from './outlook-calls.js';

/**
 * The product asks Graph for immutable ids (`Prefer: IdType="ImmutableId"`), so its links hold
 * those, while the emulator's admin view and the Outlook user's client have the regular ids,
 * which change on every move (learn.microsoft.com/graph/outlook-immutable-id). The invariants
 * compare links with contacts by the id the product sees: asked of Graph the way it asks.
 */
export async function byImmutableId(
  run: Run,
  contacts: ExchangeContact[],
): Promise<{ byImmutable: Map<string, ExchangeContact>; immutableOf: Map<string, string> }> {
  const byImmutable = new Map<string, ExchangeContact>();
  const immutableOf = new Map<string, string>();
  for (const contact of contacts) {
    const answer = await asOutlookUser(() =>
      run.stack.outlook.request<{ id: string }>(
        'GET',
        `/users/${encodeURIComponent(run.mailbox)}/contacts/${encodeURIComponent(contact.id)}?$select=id`,
        undefined,
        { Prefer: 'IdType="ImmutableId"' },
      ),
    );
    if (answer === 'gone') continue; // deleted between the two reads: not there
    byImmutable.set(answer.id, contact);
    immutableOf.set(contact.id, answer.id);
  }
  return { byImmutable, immutableOf };
}
