import { type CrmContactInput, diffFields, type ExchangeFields, fieldsEqual } from '../contact/index.js';

/** The top-level CRM fields that differ (a PATCH body), or null when nothing differs. */
export function crmPatchOf(before: CrmContactInput, after: CrmContactInput): Partial<CrmContactInput> | null {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CrmContactInput)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  }
  return Object.keys(patch).length === 0 ? null : (patch as Partial<CrmContactInput>);
}

/** The Exchange fields that differ (a PATCH body), or null when nothing differs. */
export function exchangePatchOf(
  before: ExchangeFields,
  after: ExchangeFields,
): Partial<ExchangeFields> | null {
  if (fieldsEqual(before, after)) return null;
  const patch = diffFields(before, after);
  return Object.keys(patch).length === 0 ? null : patch;
}
