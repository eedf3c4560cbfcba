/**
 * The Outlook user's requests go through the Graph emulator like the product's, so injected
 * 429/5xx bursts hit them too: a person (and Outlook) simply tries again. A 404 means the
 * contact is gone (the sync or the user deleted it meanwhile): the action had no target,
 * unless it says the whole mailbox cannot be read right now: then the person waits as well.
 */
const RETRYABLE = /failed with (429|500|503|504)\b/;
/** The whole mailbox cannot be read for a while (a mailboxOutage fault): the person waits. */
const MAILBOX_AWAY =
  /MailboxNotEnabledForRESTAPI|Blocked by tenant configured AppOnly AccessPolicy|ResourceNotFound/;
const GONE = /failed with 404\b/;

export async function asOutlookUser<T>(call: () => Promise<T>): Promise<T | 'gone'> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const away = MAILBOX_AWAY.test(message);
      if (GONE.test(message) && !away) return 'gone';
      if ((!RETRYABLE.test(message) && !away) || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 25));
    }
  }
}
