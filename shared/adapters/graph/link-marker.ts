import { odataString } from './graph-paths.js';

/**
 * The ownership marker: a single-value extended property (a MAPI named property) on every
 * contact the sync creates, holding the link id. A create retried after a crash looks it up
 * first (DESIGN 9.4), so the contact is not made twice. One fixed property name for all
 * contacts: named properties are a finite per-mailbox quota, so they must never be per record
 * (graph-azure-facts.md section 3).
 */
export const LINK_PROPERTY_GUID = '8f3c2a71-5d4e-4b9a-a6c1-2e7f90d3b845';
export const DEFAULT_LINK_PROPERTY_ID = `String {${LINK_PROPERTY_GUID}} Name SyncLinkId`;

export function linkProperty(propertyId: string, linkId: string): { id: string; value: string } {
  return { id: propertyId, value: linkId };
}

/** `$filter` for contacts carrying this link id. */
export function linkFilter(propertyId: string, linkId: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(propertyId)} and ep/value eq ${odataString(linkId)})`;
}

/** `$expand` that brings the marker along with a contact. */
export function linkExpand(propertyId: string): string {
  return `singleValueExtendedProperties($filter=id eq ${odataString(propertyId)})`;
}
