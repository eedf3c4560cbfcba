import { SELECTABLE_CONTACT_PROPERTIES } from './contact-view.js';
import { badRequest } from './errors.js';
import { extendedKey } from './store.js';

/** `$select`, `$top`, `$skip` and `$expand=singleValueExtendedProperties($filter=id eq '…')`. */
export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!SELECTABLE_CONTACT_PROPERTIES.includes(name)) {
      throw badRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.contact'.`,
      );
    }
  }
  return names;
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

/** `$top` defaults to 10 and is capped at 1000, as Outlook does for contacts. */
export function parseTop(query: URLSearchParams): number {
  return parseCount(query.get('$top'), '$top', DEFAULT_PAGE_SIZE, 1);
}

export function parseSkip(query: URLSearchParams): number {
  return parseCount(query.get('$skip'), '$skip', 0, 0);
}

function parseCount(raw: string | null, name: string, fallback: number, min: number): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw badRequest('BadRequest', `Invalid value '${raw}' for the query option '${name}'.`);
  }
  return Math.min(value, MAX_PAGE_SIZE);
}

const EXPAND = /^singleValueExtendedProperties(?:\(\s*\$filter=(.*)\))?$/i;
const ID_EQ = /^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$/i;

/** Ids to expand as `extendedKey` has them ([] = all), or undefined without `$expand`. */
export function parseExpand(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$expand');
  if (raw === null || raw.trim() === '') return undefined;
  const match = raw.trim().match(EXPAND);
  if (!match)
    throw badRequest(
      'BadRequest',
      `Parsing OData Select and Expand failed: Could not find a property named '${raw}' on type 'microsoft.graph.contact'.`,
    );
  if (match[1] === undefined) return [];
  const ids = match[1].split(/\s+or\s+/i).map((part) => part.match(ID_EQ)?.[1]);
  if (ids.some((id) => id === undefined)) {
    throw badRequest('ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
  }
  return ids.map((id) => extendedKey((id ?? '').replace(/''/g, "'")));
}
