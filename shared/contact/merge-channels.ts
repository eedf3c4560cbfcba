import type { CrmAddress, CrmContactInput, CrmEmail, CrmPhone, CrmWebsite } from './crm-contact.js';
import { CrmArrayEdits } from './crm-edits.js';
import type { ExchangeFields, PhysicalAddress } from './exchange-contact.js';
import { mergeList, mergeScalar, type SlotContext, type SlotTarget } from './merge-slots.js';
import { sameAddress, sameEmail, sameText } from './normalise.js';
import type { Projection } from './types.js';

/**
 * The merge of each part of the window into the CRM contact (rules in merge.ts). Each
 * function reads the three sides and returns the CRM's new value of its part.
 */
export interface Sides {
  base: ExchangeFields;
  projection: Projection;
  exchange: ExchangeFields;
  crm: CrmContactInput;
  context: SlotContext;
}

const NAME_FIELDS = [
  ['title', 'title'],
  ['givenName', 'firstName'],
  ['middleName', 'middleName'],
  ['surname', 'lastName'],
  ['companyName', 'company'],
  ['jobTitle', 'position'],
  ['department', 'department'],
  ['birthday', 'birthday'],
] as const satisfies readonly (readonly [keyof ExchangeFields, keyof CrmContactInput])[];

type NameField = (typeof NAME_FIELDS)[number][1];

export function mergeNames({
  base,
  projection,
  exchange,
  crm,
  context,
}: Sides): Pick<CrmContactInput, NameField> {
  const names: Pick<CrmContactInput, NameField> = { ...crm };
  for (const [field, crmField] of NAME_FIELDS) {
    const p = projection.fields[field];
    const decided = mergeScalar(field, base[field], p, exchange[field], sameText, context);
    if (decided) names[crmField] = decided.value;
  }
  return names;
}

export function mergeEmails({ base, projection, exchange, crm, context }: Sides): CrmEmail[] {
  const slots = projection.slots.emails;
  const edits = new CrmArrayEdits<CrmEmail, string>(slots);
  const target = listTarget(edits, slots, (address) => ({ address, type: null }));
  const p = projection.fields.emailAddresses;
  mergeList('emailAddresses', base.emailAddresses, p, exchange.emailAddresses, sameEmail, target, context);
  return edits.apply(crm.emails, (entry, address) => ({ ...entry, address }));
}

export function mergePhones({ base, projection, exchange, crm, context }: Sides): CrmPhone[] {
  const { slots, fields } = projection;
  const mobileSlot = slots.mobilePhone === null ? [] : [slots.mobilePhone];
  const edits = new CrmArrayEdits<CrmPhone, string>([
    ...slots.businessPhones,
    ...slots.homePhones,
    ...mobileSlot,
  ]);
  const lists = [
    ['businessPhones', 'business'],
    ['homePhones', 'private'],
  ] as const;
  for (const [field, type] of lists) {
    const target = listTarget(edits, slots[field], (number): CrmPhone => ({ number, type }));
    mergeList(field, base[field], fields[field], exchange[field], sameText, target, context);
  }
  const mobile = mergeScalar(
    'mobilePhone',
    base.mobilePhone,
    fields.mobilePhone,
    exchange.mobilePhone,
    sameText,
    context,
  );
  applySingle(mobile, edits, slots.mobilePhone, (number): CrmPhone => ({ number, type: 'mobile' }));
  return edits.apply(crm.phones, (entry, number) => ({ ...entry, number }));
}

export function mergeWebsites({ base, projection, exchange, crm, context }: Sides): CrmWebsite[] {
  const slot = projection.slots.website;
  const edits = new CrmArrayEdits<CrmWebsite, string>(slot === null ? [] : [slot]);
  const p = projection.fields.businessHomePage;
  const decided = mergeScalar(
    'businessHomePage',
    base.businessHomePage,
    p,
    exchange.businessHomePage,
    sameText,
    context,
  );
  applySingle(decided, edits, slot, (url): CrmWebsite => ({ url, type: null }));
  return edits.apply(crm.websites, (entry, url) => ({ ...entry, url }));
}

const ADDRESS_FIELDS = [
  ['businessAddress', 'business'],
  ['homeAddress', 'private'],
  ['otherAddress', 'other'],
] as const;

export function mergeAddresses({ base, projection, exchange, crm, context }: Sides): CrmAddress[] {
  const { slots, fields } = projection;
  const window = ADDRESS_FIELDS.map(([field]) => slots[field]).filter((i): i is number => i !== null);
  const edits = new CrmArrayEdits<CrmAddress, PhysicalAddress>(window);
  for (const [field, type] of ADDRESS_FIELDS) {
    const decided = mergeScalar(field, base[field], fields[field], exchange[field], sameAddress, context);
    applySingle(decided, edits, slots[field], (value) => withAddress({ type }, value));
  }
  return edits.apply(crm.addresses, withAddress);
}

function listTarget<Entry, V>(
  edits: CrmArrayEdits<Entry, V>,
  slotIndices: readonly number[],
  create: (value: V) => Entry,
): SlotTarget<V> {
  return {
    replace(projectionIndex, value) {
      const index = slotIndices[projectionIndex];
      if (index === undefined) return;
      if (value === null) edits.remove(index);
      else edits.set(index, value);
    },
    insert: (value) => edits.insert(create(value)),
  };
}

function applySingle<Entry, V>(
  decided: { value: V | null } | undefined,
  edits: CrmArrayEdits<Entry, V>,
  slot: number | null,
  create: (value: V) => Entry,
): void {
  if (decided === undefined) return;
  const target = listTarget(edits, slot === null ? [] : [slot], create);
  if (slot !== null) target.replace(0, decided.value);
  else if (decided.value !== null) target.insert(decided.value);
}

function withAddress<A extends { type: CrmAddress['type'] }>(entry: A, value: PhysicalAddress): CrmAddress {
  return {
    ...entry,
    street: value.street ?? null,
    postalCode: value.postalCode ?? null,
    city: value.city ?? null,
    country: value.countryOrRegion ?? null,
  };
}
