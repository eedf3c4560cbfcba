/**
 * The Outlook user's requests go through the Graph emulator like the product's, so injected
 * 429/5xx bursts hit them too: a person (and Outlook) simply tries again. A 404 means the
 * contact is gone (the sync or the user deleted it meanwhile): the action had no target.
 */
const RETRYABLE = /failed with (429|500|503|504)\b/;
const GONE = /failed with 404\b/;

export async function asOutlookUser<T>(call: () => Promise<T>): Promise<T | 'gone'> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (GONE.test(message)) return 'gone';
      if (!RETRYABLE.test(message) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 25));
    }
  }
}
