import type { ExchangeContacts } from '../ports.js';

/**
 * The id of a mailbox's default Contacts folder never changes, so it is asked for once per
 * mailbox and process instead of once per message (it was most of the Graph requests behind a
 * single edit). Keyed by the adapter instance, so separate stacks in one process never mix.
 */
const memo = new WeakMap<ExchangeContacts, Map<string, Promise<string>>>();

export function defaultFolderOf(exchange: ExchangeContacts, mailbox: string): Promise<string> {
  let byMailbox = memo.get(exchange);
  if (!byMailbox) {
    byMailbox = new Map();
    memo.set(exchange, byMailbox);
  }
  let id = byMailbox.get(mailbox);
  if (!id) {
    id = exchange.defaultFolderId(mailbox);
    byMailbox.set(mailbox, id);
    // A failed lookup (throttled, consent missing) is not remembered.
    id.catch(() => byMailbox.delete(mailbox));
  }
  return id;
}
