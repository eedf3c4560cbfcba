import type { Conflict } from './types.js';

/**
 * Three-way decisions for one slot or one list of slots. They decide what happens to the CRM;
 * CRM-side changes need no action because the CRM already holds them.
 */

export interface SlotContext {
  winner: 'crm' | 'exchange';
  conflicts: Conflict[];
}

/** Where a decided Exchange value goes in the CRM. */
export interface SlotTarget<V> {
  /** change the CRM entry at this projection index in place (`null`: remove it) */
  replace(projectionIndex: number, value: V | null): void;
  /** add a new CRM entry carrying this value */
  insert(value: V): void;
}

/**
 * A single-valued field (a name, mobilePhone, businessHomePage, an address). Returns the value
 * the CRM must take, or `undefined` when the CRM keeps what it has.
 */
export function mergeScalar<V>(
  field: string,
  base: V | null,
  crm: V | null,
  exchange: V | null,
  same: (a: V | null, b: V | null) => boolean,
  context: SlotContext,
): { value: V | null } | undefined {
  if (same(exchange, base)) return undefined; // Exchange did not change it: CRM wins
  if (same(crm, base)) return { value: exchange }; // only Exchange changed it
  if (same(crm, exchange)) return undefined; // both made the same change
  context.conflicts.push({ field, base, crm, exchange, winner: context.winner });
  return context.winner === 'exchange' ? { value: exchange } : undefined;
}

type Status = 'kept' | 'modified' | 'removed';

/**
 * Aligns a list with its base: equal values pair up first ("kept", wherever they moved);
 * then an unpaired base value and an unpaired new value at the same index are one edit of
 * that slot ("modified"); the rest are removed or added.
 */
function align<V>(base: readonly V[], other: readonly V[], same: (a: V, b: V) => boolean) {
  const used = new Set<number>();
  const partner: (number | null)[] = base.map(() => null);
  const status: Status[] = base.map(() => 'removed');
  for (const [i, value] of base.entries()) {
    const j = other.findIndex((candidate, k) => !used.has(k) && same(candidate, value));
    if (j < 0) continue;
    [partner[i], status[i]] = [j, 'kept'];
    used.add(j);
  }
  for (const i of base.keys()) {
    if (status[i] !== 'removed' || i >= other.length || used.has(i)) continue;
    [partner[i], status[i]] = [i, 'modified'];
    used.add(i);
  }
  const added = other.map((_, k) => k).filter((k) => !used.has(k));
  return { partner, status, added };
}

/** A list of slots (emailAddresses, businessPhones, homePhones), decided slot by slot. */
export function mergeList<V>(
  field: string,
  base: readonly V[],
  crm: readonly V[],
  exchange: readonly V[],
  same: (a: V, b: V) => boolean,
  target: SlotTarget<V>,
  context: SlotContext,
): void {
  const fromExchange = align(base, exchange, same);
  const fromCrm = align(base, crm, same);
  const inserted: V[] = [];
  for (const [i, baseValue] of base.entries()) {
    if (fromExchange.status[i] === 'kept') continue;
    const exchangeIndex = fromExchange.partner[i] ?? null;
    const exchangeValue = exchangeIndex === null ? null : (exchange[exchangeIndex] as V);
    const crmIndex = fromCrm.partner[i] ?? null;
    if (fromCrm.status[i] === 'kept' && crmIndex !== null) {
      target.replace(crmIndex, exchangeValue); // only Exchange edited this slot
      continue;
    }
    const crmValue = crmIndex === null ? null : (crm[crmIndex] as V);
    const sameEdit =
      crmValue === null || exchangeValue === null
        ? crmValue === exchangeValue
        : same(crmValue, exchangeValue);
    if (sameEdit) continue;
    const { winner } = context;
    context.conflicts.push({
      field: `${field}[${i}]`,
      base: baseValue,
      crm: crmValue,
      exchange: exchangeValue,
      winner,
    });
    if (winner === 'crm') continue;
    if (crmIndex !== null) target.replace(crmIndex, exchangeValue);
    else if (exchangeValue !== null) inserted.push(exchangeValue);
  }
  for (const k of fromExchange.added) {
    const value = exchange[k] as V;
    if (crm.some((existing) => same(existing, value))) continue; // the CRM has it already
    if (!inserted.some((pending) => same(pending, value))) inserted.push(value);
  }
  for (const value of inserted) target.insert(value);
}
