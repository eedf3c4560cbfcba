import type { TableEntity } from '@azure/data-tables';
import type { ContactLink } from '../../sync/link.js';
import { encodeKey } from './key-encoding.js';

/**
 * Row layout of the links table (pure). One partition per account, so every row of a link can
 * change in one entity-group transaction:
 *   link|<enc linkId>     the link itself (JSON in `link`), the row whose ETag callers hold
 *   crm|<enc crmId>       lookup → linkId
 *   exch|<enc exchangeId> lookup → linkId
 * A lookup row is only ever written in a transaction that also conditionally writes its
 * link row, so a lookup row always agrees with the link row it points to.
 * A delete first turns the link row into a tombstone (conditional, together with removing the
 * lookups), then removes the tombstone; a tombstone left by a crash reads as "no link".
 */
export const LINK_PREFIX = 'link|';
export const CRM_PREFIX = 'crm|';
export const EXCHANGE_PREFIX = 'exch|';

export interface LinkEntity extends TableEntity {
  link?: string;
  deleted?: boolean;
}

export interface LookupEntity extends TableEntity {
  linkId: string;
}

export const partitionOf = (accountId: string): string => encodeKey(accountId);
export const linkRowKey = (linkId: string): string => LINK_PREFIX + encodeKey(linkId);
export const crmRowKey = (crmId: string): string => CRM_PREFIX + encodeKey(crmId);
export const exchangeRowKey = (exchangeId: string): string => EXCHANGE_PREFIX + encodeKey(exchangeId);

export function linkEntity(link: ContactLink): LinkEntity {
  return {
    partitionKey: partitionOf(link.accountId),
    rowKey: linkRowKey(link.linkId),
    link: JSON.stringify(link),
  };
}

export function tombstoneEntity(accountId: string, linkId: string): LinkEntity {
  return { partitionKey: partitionOf(accountId), rowKey: linkRowKey(linkId), deleted: true };
}

export function lookupEntities(link: ContactLink): [LookupEntity, LookupEntity] {
  const partitionKey = partitionOf(link.accountId);
  return [
    { partitionKey, rowKey: crmRowKey(link.crmId), linkId: link.linkId },
    { partitionKey, rowKey: exchangeRowKey(link.exchangeId), linkId: link.linkId },
  ];
}

/** The link a row holds, or null for a tombstone. The JSON is our own, written by linkEntity. */
export function linkFromEntity(entity: LinkEntity): ContactLink | null {
  if (entity.deleted === true || typeof entity.link !== 'string') return null;
  return JSON.parse(entity.link) as ContactLink;
}
