import { normaliseAddress } from './addresses.js';
import type { GraphMessage } from './message.js';
import { type Participant, participantsOf } from './participants.js';

/**
 * Linking (issue 17, item 2): every participant is matched case-insensitively against every
 * e-mail address of the CRM's contacts; the owner's own addresses (proxyAddresses) set the
 * direction. A message that matches no contact is not sent to the CRM (`linked: false`).
 */

export interface LinkedParticipant extends Participant {
  contactId: string | null;
}

export type Direction = 'incoming' | 'outgoing';

export interface LinkResult {
  direction: Direction;
  participants: LinkedParticipant[];
  /** Sorted, without duplicates. */
  contactIds: string[];
  linked: boolean;
}

/** Normalised address → ids of the CRM contacts that have it. */
export type ContactIndex = ReadonlyMap<string, readonly string[]>;

/** Builds the index from CRM contacts (every address of every contact). */
export function contactIndexOf(
  contacts: readonly { id: string; emails: readonly { address: string }[] }[],
): ContactIndex {
  const index = new Map<string, string[]>();
  for (const contact of contacts) {
    for (const { address } of contact.emails) {
      const key = normaliseAddress(address);
      const ids = index.get(key) ?? [];
      if (!ids.includes(contact.id)) ids.push(contact.id);
      index.set(key, ids.sort());
    }
  }
  return index;
}

/**
 * `ownAddresses` are the mailbox owner's (normalised). They are never linked to a contact,
 * even if some CRM contact carries one of them: the agent is not their own client.
 * When two contacts share an address, the participant names the first (by id) and both
 * are in `contactIds`.
 */
export function linkMessage(
  message: GraphMessage,
  ownAddresses: ReadonlySet<string>,
  index: ContactIndex,
): LinkResult {
  const contactIds = new Set<string>();
  const participants = participantsOf(message).map((participant): LinkedParticipant => {
    if (ownAddresses.has(participant.address)) return { ...participant, contactId: null };
    const ids = index.get(participant.address) ?? [];
    for (const id of ids) contactIds.add(id);
    return { ...participant, contactId: ids[0] ?? null };
  });
  const from = participants.find((p) => p.role === 'from');
  const direction: Direction = from && ownAddresses.has(from.address) ? 'outgoing' : 'incoming';
  return { direction, participants, contactIds: [...contactIds].sort(), linked: contactIds.size > 0 };
}
