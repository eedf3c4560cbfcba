import type { CrmPhone } from './crm-contact.js';
import type { HeldSlot, HeldValues } from './held.js';
import { EXCHANGE_LIMITS } from './limits.js';
import { cleanText } from './normalise.js';
import { canonicalPhone } from './phone.js';
import type { KeptBack, KeptBackReason } from './types.js';

/** The three phone slots of a Graph contact, filled from the CRM phone list (rules in project.ts). */
export interface PhonePlacement {
  businessPhones: string[];
  homePhones: string[];
  mobilePhone: string | null;
  slots: { businessPhones: number[]; homePhones: number[]; mobilePhone: number | null };
  keptBack: KeptBack[];
}

interface Candidate {
  index: number;
  /** what Exchange gets: the canonical form, or the text as typed for a held value */
  value: string;
  canonical: boolean;
  type: CrmPhone['type'];
}

type Slot = 'business' | 'home' | 'mobile';
const FIELD_OF = { business: 'businessPhones', home: 'homePhones', mobile: 'mobilePhone' } as const;
const LIMIT_OF = {
  business: EXCHANGE_LIMITS.businessPhones,
  home: EXCHANGE_LIMITS.homePhones,
  mobile: EXCHANGE_LIMITS.mobile,
} as const;

export function placePhones(
  phones: readonly CrmPhone[],
  defaultCountry: string,
  held: HeldValues,
): PhonePlacement {
  const rejected = new Map<number, KeptBackReason>();
  const candidates: Candidate[] = [];
  for (const [index, phone] of phones.entries()) {
    const text = cleanText(phone.number);
    if (text === null) rejected.set(index, 'empty');
    else if (phone.type === 'fax') rejected.set(index, 'noExchangeField');
    else {
      const canonical = canonicalPhone(text, defaultCountry);
      candidates.push({
        index,
        value: canonical.ok ? canonical.canonical : text,
        canonical: canonical.ok,
        type: phone.type,
      });
    }
  }

  const placedIn: Record<Slot, Candidate[]> = { business: [], home: [], mobile: [] };
  // A number may stand in several kinds of slot (Outlook allows the same number as business and
  // home phone), but only once per kind; an untyped number already placed anywhere is a duplicate.
  const placed = new Set<string>();
  const fits = (slot: Slot) => placedIn[slot].length < LIMIT_OF[slot];
  const heldIn = (slot: Slot, candidate: Candidate) => held.has(FIELD_OF[slot] as HeldSlot, candidate.value);
  const place = (candidate: Candidate, slot: Slot): true => {
    placedIn[slot].push(candidate);
    held.take(FIELD_OF[slot], candidate.value);
    placed.add(candidate.value);
    placed.add(`${slot}|${candidate.value}`);
    return true;
  };
  /**
   * Places a candidate in the first of `slots` that takes it, or returns why none did. A
   * value the projection cannot write itself (not canonical, or a repeat) goes only where
   * Exchange already holds it.
   */
  const placeIn = (candidate: Candidate, slots: readonly Slot[], repeat: boolean): KeptBackReason | null => {
    const writable = candidate.canonical && !repeat;
    for (const slot of slots) {
      if (fits(slot) && (writable || heldIn(slot, candidate))) return place(candidate, slot) && null;
    }
    return !candidate.canonical ? 'notCanonical' : repeat ? 'duplicate' : 'limitReached';
  };
  const typedSlot = { business: 'business', private: 'home', mobile: 'mobile' } as const;

  // Pass 1: typed numbers take the slots of their type, in CRM order.
  for (const candidate of candidates) {
    if (candidate.type === null || candidate.type === 'fax') continue;
    const slot = typedSlot[candidate.type];
    const reason = placeIn(candidate, [slot], placed.has(`${slot}|${candidate.value}`));
    if (reason) rejected.set(candidate.index, reason);
  }
  // Pass 2: untyped numbers fill the free business slots, then the free home slots.
  for (const candidate of candidates) {
    if (candidate.type !== null) continue;
    const reason = placeIn(candidate, ['business', 'home'], placed.has(candidate.value));
    if (reason) rejected.set(candidate.index, reason);
  }

  const keptBack = [...rejected.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([index, reason]): KeptBack => ({ field: 'phones', index, value: phones[index]?.number ?? '', reason }),
    );
  const mobileSlot = placedIn.mobile[0];
  return {
    businessPhones: placedIn.business.map((c) => c.value),
    homePhones: placedIn.home.map((c) => c.value),
    mobilePhone: mobileSlot?.value ?? null,
    slots: {
      businessPhones: placedIn.business.map((c) => c.index),
      homePhones: placedIn.home.map((c) => c.index),
      mobilePhone: mobileSlot?.index ?? null,
    },
    keptBack,
  };
}
