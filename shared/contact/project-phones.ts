import type { CrmPhone } from './crm-contact.js';
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
  e164: string;
  type: CrmPhone['type'];
}

export function placePhones(phones: readonly CrmPhone[], defaultCountry: string): PhonePlacement {
  const rejected = new Map<number, KeptBackReason>();
  const candidates: Candidate[] = [];
  for (const [index, phone] of phones.entries()) {
    if (cleanText(phone.number) === null) rejected.set(index, 'empty');
    else if (phone.type === 'fax') rejected.set(index, 'noExchangeField');
    else {
      const canonical = canonicalPhone(phone.number, defaultCountry);
      if (canonical.ok) candidates.push({ index, e164: canonical.e164, type: phone.type });
      else rejected.set(index, 'notCanonical');
    }
  }

  const business: Candidate[] = [];
  const home: Candidate[] = [];
  const mobile: Candidate[] = [];
  // A number may stand in several kinds of slot (Outlook allows the same number as business and
  // home phone), but only once per kind; an untyped number already placed anywhere is a duplicate.
  const placed = new Set<string>();
  const place = (candidate: Candidate, slot: 'business' | 'home' | 'mobile'): boolean => {
    if (slot === 'business' && business.length < EXCHANGE_LIMITS.businessPhones) business.push(candidate);
    else if (slot === 'home' && home.length < EXCHANGE_LIMITS.homePhones) home.push(candidate);
    else if (slot === 'mobile' && mobile.length < EXCHANGE_LIMITS.mobile) mobile.push(candidate);
    else return false;
    placed.add(candidate.e164);
    placed.add(`${slot}|${candidate.e164}`);
    return true;
  };
  const typedSlot = { business: 'business', private: 'home', mobile: 'mobile' } as const;

  // Pass 1: typed numbers take the slots of their type, in CRM order.
  for (const candidate of candidates) {
    if (candidate.type === null || candidate.type === 'fax') continue;
    if (placed.has(`${typedSlot[candidate.type]}|${candidate.e164}`))
      rejected.set(candidate.index, 'duplicate');
    else if (!place(candidate, typedSlot[candidate.type])) rejected.set(candidate.index, 'limitReached');
  }
  // Pass 2: untyped numbers fill the free business slots, then the free home slots.
  for (const candidate of candidates) {
    if (candidate.type !== null) continue;
    if (placed.has(candidate.e164)) rejected.set(candidate.index, 'duplicate');
    else if (!place(candidate, 'business') && !place(candidate, 'home')) {
      rejected.set(candidate.index, 'limitReached');
    }
  }

  const keptBack = [...rejected.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([index, reason]): KeptBack => ({ field: 'phones', index, value: phones[index]?.number ?? '', reason }),
    );
  const mobileSlot = mobile[0];
  return {
    businessPhones: business.map((c) => c.e164),
    homePhones: home.map((c) => c.e164),
    mobilePhone: mobileSlot?.e164 ?? null,
    slots: {
      businessPhones: business.map((c) => c.index),
      homePhones: home.map((c) => c.index),
      mobilePhone: mobileSlot?.index ?? null,
    },
    keptBack,
  };
}
