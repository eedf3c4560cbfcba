import { normaliseAddress } from './addresses.js';
import type { GraphMessage, GraphRecipient } from './message.js';

/** Everyone on a message, with the role they have on it (issue 17, item 2). */

export type ParticipantRole = 'from' | 'to' | 'cc' | 'bcc';

export interface Participant {
  role: ParticipantRole;
  /** Lower-cased and trimmed. */
  address: string;
  name: string | null;
}

const ROLE_ORDER: Record<ParticipantRole, number> = { from: 0, to: 1, cc: 2, bcc: 3 };

function toParticipant(role: ParticipantRole, recipient: GraphRecipient | null | undefined): Participant[] {
  const address = recipient?.emailAddress?.address;
  if (!address?.includes('@')) return [];
  const name = recipient?.emailAddress?.name?.trim();
  return [{ role, address: normaliseAddress(address), name: name ? name : null }];
}

/**
 * From (or, without it, sender), to, cc and bcc; an address listed twice in one role counts
 * once. Recipients without a usable address are left out: nothing can be matched on them.
 */
export function participantsOf(message: GraphMessage): Participant[] {
  const all = [
    ...toParticipant('from', message.from ?? message.sender),
    ...(message.toRecipients ?? []).flatMap((r) => toParticipant('to', r)),
    ...(message.ccRecipients ?? []).flatMap((r) => toParticipant('cc', r)),
    ...(message.bccRecipients ?? []).flatMap((r) => toParticipant('bcc', r)),
  ];
  return dedupeParticipants(all);
}

export function participantKey(participant: Pick<Participant, 'role' | 'address'>): string {
  return `${participant.role} ${participant.address}`;
}

/** One entry per (role, address), the first name seen kept; sorted by role, then address. */
export function dedupeParticipants<P extends Participant>(participants: readonly P[]): P[] {
  const byKey = new Map<string, P>();
  for (const participant of participants) {
    const key = participantKey(participant);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, participant);
    else if (seen.name === null && participant.name !== null)
      byKey.set(key, { ...seen, name: participant.name });
  }
  return [...byKey.values()].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.address.localeCompare(b.address),
  );
}
