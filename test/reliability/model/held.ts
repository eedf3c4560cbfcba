import {
  type CrmContactInput,
  canonicalPhone,
  EMPTY_FIELDS,
  type ExchangeFields,
} from '../../../shared/contact/index.js';

/**
 * What the Outlook user put into the slots where Exchange may hold a value the sync never
 * writes itself (a number the CRM cannot canonicalise, an e-mail address twice: "held" values,
 * shared/contact/held.ts). The sync must keep such a value in Outlook as long as the CRM holds
 * it too; it must never write one of its own. From outside that reads:
 * - `kept`: per slot, the Outlook user's last write of it, less what a later CRM write of the
 *   group left out. While the CRM contact holds such a value, the Outlook copy must hold it.
 * - `typed`: every value the Outlook user ever put in the slot. The Outlook copy may hold
 *   these (whether the sync removed one after a CRM user removed and re-added it depends on
 *   timing); a held value it holds that is not among them the sync wrote itself.
 * Values are in exchangeFieldsOf's normal form (numbers canonical where they can be).
 */
export type HeldSlot = 'emailAddresses' | 'businessPhones' | 'homePhones' | 'mobilePhone';
const SLOTS: readonly HeldSlot[] = ['emailAddresses', 'businessPhones', 'homePhones', 'mobilePhone'];
const PHONE_SLOTS: readonly HeldSlot[] = ['businessPhones', 'homePhones', 'mobilePhone'];

export type SlotValues = Record<HeldSlot, string[]>;

export interface OutlookHeld {
  kept: SlotValues;
  typed: SlotValues;
}

const emptySlots = (): SlotValues => ({
  emailAddresses: [],
  businessPhones: [],
  homePhones: [],
  mobilePhone: [],
});

export function emptyHeld(): OutlookHeld {
  return { kept: emptySlots(), typed: emptySlots() };
}

const phoneForm = (text: string) => {
  const canonical = canonicalPhone(text, 'DE');
  return canonical.ok ? canonical.canonical : text.trim();
};
const same = (slot: HeldSlot) => (a: string, b: string) =>
  slot === 'emailAddresses' ? a.trim().toLowerCase() === b.trim().toLowerCase() : a === b;

/** The values a Graph body (create or PATCH) puts into each held slot it names. */
function slotsOfBody(body: Record<string, unknown>): Partial<SlotValues> {
  const out: Partial<SlotValues> = {};
  if (Array.isArray(body['emailAddresses']))
    out.emailAddresses = (body['emailAddresses'] as { address?: unknown }[])
      .map((e) => (typeof e.address === 'string' ? e.address.trim() : ''))
      .filter(Boolean);
  for (const slot of ['businessPhones', 'homePhones'] as const)
    if (Array.isArray(body[slot]))
      out[slot] = (body[slot] as unknown[]).filter((p): p is string => typeof p === 'string').map(phoneForm);
  if ('mobilePhone' in body)
    out.mobilePhone = typeof body['mobilePhone'] === 'string' ? [phoneForm(body['mobilePhone'])] : [];
  return out;
}

export function recordOutlookHeld(held: OutlookHeld, body: Record<string, unknown>): void {
  for (const [slot, values] of Object.entries(slotsOfBody(body)) as [HeldSlot, string[]][]) {
    held.kept[slot] = [...values];
    // `typed` holds each value as often as one write held it at most.
    const eq = same(slot);
    for (const value of values) {
      const inWrite = values.filter((v) => eq(v, value)).length;
      const known = held.typed[slot].filter((v) => eq(v, value)).length;
      if (known < inWrite) held.typed[slot].push(value);
    }
  }
}

/**
 * The Outlook user deleted the copy: nothing of it must be kept any more. A copy that is there
 * after the drain was restored from Deleted Items or made again by the sync (whether the sync
 * saw the delete first depends on timing, as for every deleted contact): it may hold what the
 * user typed (`typed`), it need not.
 */
export function recordOutlookDelete(held: OutlookHeld): void {
  held.kept = emptySlots();
}

/** A CRM write of a group drops from `kept` what it does not hold any more. */
export function recordCrmHeld(held: OutlookHeld, input: Partial<CrmContactInput>): void {
  const keep = (slot: HeldSlot, now: string[]) => {
    held.kept[slot] = held.kept[slot].filter((v) => now.some((n) => same(slot)(v, n)));
  };
  if (input.emails !== undefined)
    keep(
      'emailAddresses',
      input.emails.map((e) => e.address),
    );
  if (input.phones !== undefined) {
    const numbers = input.phones.map((p) => phoneForm(p.number));
    for (const slot of PHONE_SLOTS) keep(slot, numbers);
  }
}

/**
 * The held windows to project the CRM contact with, to get what the Outlook copy must hold
 * (projectToExchange's `held`): what the Outlook user typed and the CRM kept, and what of the
 * copy's own held values the Outlook user ever typed. A held value the sync wrote itself is
 * in neither, so the projection leaves it out and the comparison fails.
 */
export function heldWindows(held: OutlookHeld | undefined, copy: ExchangeFields): ExchangeFields[] {
  if (!held) return [];
  const window = (values: SlotValues): ExchangeFields => ({
    ...EMPTY_FIELDS,
    emailAddresses: values.emailAddresses,
    businessPhones: values.businessPhones,
    homePhones: values.homePhones,
    mobilePhone: values.mobilePhone[0] ?? null,
  });
  const ofCopy: SlotValues = {
    emailAddresses: copy.emailAddresses,
    businessPhones: copy.businessPhones,
    homePhones: copy.homePhones,
    mobilePhone: copy.mobilePhone === null ? [] : [copy.mobilePhone],
  };
  const allowed = emptySlots();
  for (const slot of SLOTS) {
    // Each of the copy's values at most as often as one Outlook write held it.
    const left = [...held.typed[slot]];
    for (const value of ofCopy[slot]) {
      const at = left.findIndex((t) => same(slot)(value, t));
      if (at < 0) continue;
      left.splice(at, 1);
      allowed[slot].push(value);
    }
  }
  return [window(held.kept), window(allowed)];
}
