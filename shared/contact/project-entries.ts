import type { CrmAddress, CrmEmail, CrmWebsite } from './crm-contact.js';
import type { PhysicalAddress } from './exchange-contact.js';
import type { HeldValues } from './held.js';
import { EXCHANGE_LIMITS } from './limits.js';
import { addressText, cleanAddress, cleanText, emailKey } from './normalise.js';
import type { KeptBack } from './types.js';

/** E-mails, website and addresses of the projection (rules in project.ts). */

export function placeEmails(emails: readonly CrmEmail[], held: HeldValues) {
  const addresses: string[] = [];
  const slots: number[] = [];
  const keptBack: KeptBack[] = [];
  const seen = new Set<string>();
  for (const [index, email] of emails.entries()) {
    const address = cleanText(email.address);
    const repeat = address !== null && seen.has(emailKey(address));
    const fits = addresses.length < EXCHANGE_LIMITS.emails;
    // A repeated address is written only where Exchange already holds it twice.
    if (address !== null && fits && (!repeat || held.has('emailAddresses', address))) {
      seen.add(emailKey(address));
      held.take('emailAddresses', address);
      addresses.push(address);
      slots.push(index);
    } else {
      const reason = address === null ? 'empty' : repeat ? 'duplicate' : 'limitReached';
      keptBack.push({ field: 'emails', index, value: email.address, reason });
    }
  }
  return { addresses, slots, keptBack };
}

export function placeWebsite(websites: readonly CrmWebsite[]) {
  let url: string | null = null;
  let slot: number | null = null;
  const keptBack: KeptBack[] = [];
  for (const [index, website] of websites.entries()) {
    const clean = cleanText(website.url);
    if (clean !== null && url === null) [url, slot] = [clean, index];
    else
      keptBack.push({
        field: 'websites',
        index,
        value: website.url,
        reason: clean ? 'limitReached' : 'empty',
      });
  }
  return { url: url as string | null, slot: slot as number | null, keptBack };
}

export type AddressSlot = 'businessAddress' | 'homeAddress' | 'otherAddress';
export const ADDRESS_SLOT_OF = {
  business: 'businessAddress',
  private: 'homeAddress',
  other: 'otherAddress',
} as const;

export function windowAddressOf(address: CrmAddress): PhysicalAddress | null {
  return cleanAddress({
    street: address.street,
    postalCode: address.postalCode,
    city: address.city,
    countryOrRegion: address.country,
  });
}

export function placeAddresses(addresses: readonly CrmAddress[]) {
  const values: Record<AddressSlot, PhysicalAddress | null> = {
    businessAddress: null,
    homeAddress: null,
    otherAddress: null,
  };
  const slots: Record<AddressSlot, number | null> = {
    businessAddress: null,
    homeAddress: null,
    otherAddress: null,
  };
  const keptBack: KeptBack[] = [];
  for (const [index, address] of addresses.entries()) {
    const value = windowAddressOf(address);
    const slot = ADDRESS_SLOT_OF[address.type];
    if (value !== null && slots[slot] === null) [values[slot], slots[slot]] = [value, index];
    else {
      const reason = value === null ? 'empty' : 'limitReached';
      keptBack.push({ field: 'addresses', index, value: addressText(value), reason });
    }
  }
  return { values, slots, keptBack };
}
