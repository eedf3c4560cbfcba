import type { ExchangeFields } from './exchange-contact.js';
import { cleanText, emailKey } from './normalise.js';

/** The list-like slots of the window in which Exchange may hold a value the sync cannot write. */
export type HeldSlot = 'emailAddresses' | 'businessPhones' | 'homePhones' | 'mobilePhone';

/**
 * What Exchange holds (or held) of a contact, per slot, as counts of each value: the values a
 * projection may keep although it could not write them itself (a number that is not
 * canonical, an e-mail address repeated in one contact; see project.ts). A value counts as
 * often as the window holding it most often holds it. E-mail addresses are compared
 * case-insensitively, phone numbers as trimmed text (the normal form of exchangeFieldsOf:
 * canonical numbers as E.164, others as typed).
 */
export class HeldValues {
  private readonly counts = new Map<string, number>();

  constructor(windows: readonly ExchangeFields[] = []) {
    for (const window of windows) {
      const inWindow = new Map<string, number>();
      const add = (slot: HeldSlot, value: string | null) => {
        const key = keyOf(slot, value);
        if (key !== null) inWindow.set(key, (inWindow.get(key) ?? 0) + 1);
      };
      for (const address of window.emailAddresses) add('emailAddresses', address);
      for (const phone of window.businessPhones) add('businessPhones', phone);
      for (const phone of window.homePhones) add('homePhones', phone);
      add('mobilePhone', window.mobilePhone);
      for (const [key, count] of inWindow) this.counts.set(key, Math.max(count, this.counts.get(key) ?? 0));
    }
  }

  /** True when the windows hold this value in this slot more often than it was taken. */
  has(slot: HeldSlot, value: string): boolean {
    const key = keyOf(slot, value);
    return key !== null && (this.counts.get(key) ?? 0) > 0;
  }

  /** Uses up one occurrence (if there is one): a value placed in a slot fills one held copy. */
  take(slot: HeldSlot, value: string): void {
    const key = keyOf(slot, value);
    const count = key === null ? 0 : (this.counts.get(key) ?? 0);
    if (key !== null && count > 0) this.counts.set(key, count - 1);
  }
}

function keyOf(slot: HeldSlot, value: string | null): string | null {
  const clean = cleanText(value);
  if (clean === null) return null;
  return `${slot}|${slot === 'emailAddresses' ? emailKey(clean) : clean}`;
}
