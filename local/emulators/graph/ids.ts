import { randomBytes } from 'node:crypto';

/**
 * Exchange ids are long, opaque, URL-safe base64 strings (`AAMkAD…=`); change keys are plain
 * base64 (`EQAAABYAAAD…`) and may contain `+` and `/`. Clients must treat both as opaque, so
 * the emulator makes them look the part instead of using counters a client could parse.
 */
export function newItemId(): string {
  return `AAMkAD${randomBytes(45).toString('base64url')}AAA=`;
}

/**
 * Immutable ids look different from regular ones (`AAkALgAA…` in the translateExchangeIds
 * example of "Obtain immutable identifiers for Outlook resources"), so a client that mixes
 * the two forms up sees it.
 */
export function newImmutableId(): string {
  return `AAkALgAA${randomBytes(45).toString('base64url')}AAA=`;
}

export function newFolderId(): string {
  return `AAMkAD${randomBytes(30).toString('base64url')}AAAAAAEOAAA=`;
}

export function newChangeKey(): string {
  return `EQAAABYAAAD${randomBytes(15).toString('base64')}`;
}

export function newRequestId(): string {
  return crypto.randomUUID();
}
