import { type ExclusionReason, exclusionReason } from './exclusions.js';
import { emailKey } from './key.js';
import { type ContactIndex, type Direction, type LinkedParticipant, linkMessage } from './link.js';
import type { GraphMessage } from './message.js';
import { participantsOf } from './participants.js';
import type { MailSettings, Visibility } from './settings.js';
import { inWindow } from './window.js';

/**
 * One mailbox's copy of one message → what the CRM should get from it, or why nothing. Pure:
 * the contact index, the owner's addresses and the clock are passed in.
 */

export interface MailAttachment {
  name: string;
  contentType: string;
  size: number;
}

/** What one mailbox contributes to a CRM e-mail. */
export interface MailCopy {
  accountId: string;
  /** The folder's display name, as the CRM shows it (`Inbox`, `Sent Items`, `Kunde Meier` …). */
  folder: string;
  visibility: Visibility;
  direction: Direction;
  /** Bcc only when this mailbox's owner sent the message (only the sender's copy knows them). */
  participants: LinkedParticipant[];
  contactIds: string[];
  message: GraphMessage & { internetMessageId: string };
  /** Fetched in a second step for linked mail only; undefined = not fetched (yet). */
  bodyText?: string | null;
  attachments?: MailAttachment[];
}

export type SkipReason = ExclusionReason | 'noMessageId' | 'outsideWindow' | 'noContact';

export type Classification =
  | { kind: 'linked'; key: string; copy: MailCopy }
  | { kind: 'skipped'; reason: SkipReason };

export interface ClassifyContext {
  tenantId: string;
  accountId: string;
  folder: string;
  settings: MailSettings;
  blocklist: ReadonlySet<string>;
  ownAddresses: ReadonlySet<string>;
  index: ContactIndex;
  now: Date;
  /** The first import applies the window; later rounds take every change. */
  applyWindow: boolean;
}

export function classifyMessage(message: GraphMessage, context: ClassifyContext): Classification {
  const internetMessageId = message.internetMessageId?.trim();
  if (!internetMessageId) return { kind: 'skipped', reason: 'noMessageId' };
  if (context.applyWindow && !inWindow(message, context.now, context.settings.windowDays)) {
    return { kind: 'skipped', reason: 'outsideWindow' };
  }
  const reason = exclusionReason(message, participantsOf(message), context);
  if (reason) return { kind: 'skipped', reason };

  const linked = linkMessage(message, context.ownAddresses, context.index);
  // A recipient's copy lists no bcc; should one ever carry some, they are not this mailbox's to tell.
  const keep = linked.participants.filter((p) => p.role !== 'bcc' || linked.direction === 'outgoing');
  // The owner's own addresses never link (linkMessage), so they add no contact here either.
  const counted = [
    ...new Set(
      keep
        .filter((p) => !context.ownAddresses.has(p.address))
        .flatMap((p) => context.index.get(p.address) ?? []),
    ),
  ].sort();
  if (counted.length === 0) return { kind: 'skipped', reason: 'noContact' };
  return {
    kind: 'linked',
    key: emailKey(context.tenantId, internetMessageId),
    copy: {
      accountId: context.accountId,
      folder: context.folder,
      visibility: context.settings.visibility,
      direction: linked.direction,
      participants: keep,
      contactIds: counted,
      message: { ...message, internetMessageId },
    },
  };
}
