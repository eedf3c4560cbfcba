import type {
  CrmAddress,
  CrmContact,
  CrmContactInput,
  CrmEmail,
  CrmPhone,
  CrmWebsite,
} from '../../../shared/contact/index.js';
import { emptyHeld, type OutlookHeld, recordCrmHeld, recordOutlookHeld } from './held.js';
import type { ReliabilityStack } from './stack.js';
import { tokenOf } from './values.js';

/**
 * The model: what the users did, per logical contact ("token", the first word of its given
 * name), kept deliberately simpler than the engine. It does not predict merged field values;
 * it records what only the CRM user can write (notes, salutation, overflow, e-mail types), what
 * only Outlook holds (unmapped fields), and whether a contact was ever deleted or untagged —
 * everything else is checked as DESIGN section 9's structural invariants.
 */
export type Group = 'emails' | 'phones' | 'websites' | 'addresses';
export const GROUPS: readonly Group[] = ['emails', 'phones', 'websites', 'addresses'];

/** The CRM user's last write of each CRM-only value, for one CRM contact id. */
export interface CrmWrites {
  crmId: string;
  notes?: string | null;
  salutation?: string | null;
  emails?: CrmEmail[];
  phones?: CrmPhone[];
  websites?: CrmWebsite[];
  addresses?: CrmAddress[];
}

export interface TokenModel {
  token: string;
  origin: 'crm' | 'outlook';
  /** The CRM user's intent for the account's sync tag (Outlook contacts are tagged by the sync). */
  tagged: boolean;
  crmDeleted: boolean;
  outlookDeleted: boolean;
  /** Restored from Deleted Items after an Outlook delete (the outcome depends on timing). */
  restored: boolean;
  /** The Outlook delete hit a copy whose link a crash had kept from the mirror (CrashState). */
  deletedUnrecorded: boolean;
  untagged: boolean;
  /**
   * A CRM user edited, tagged or untagged the contact after creating it: an Outlook delete may
   * then be undone (edit beats delete, re-tagged), depending on what the sync saw first.
   */
  crmTouched: boolean;
  crmWrites: CrmWrites | null;
  /** Outlook writes per group (a create counts), over the whole run. */
  outlookTouches: Record<Group, number>;
  /** Unmapped Outlook fields the Outlook user set, per Exchange contact id. */
  unmapped: Map<string, Record<string, string>>;
  /** What the Outlook user put into the slots that may hold values the sync never writes (held.ts). */
  held: OutlookHeld;
}

export class RunModel {
  readonly tokens: TokenModel[] = [];

  constructor(readonly runTag: string) {}

  newToken(origin: TokenModel['origin'], tagged: boolean): TokenModel {
    const token: TokenModel = {
      token: `${this.runTag}t${this.tokens.length}`,
      origin,
      tagged,
      crmDeleted: false,
      outlookDeleted: false,
      restored: false,
      deletedUnrecorded: false,
      untagged: false,
      crmTouched: false,
      crmWrites: null,
      outlookTouches: { emails: 0, phones: 0, websites: 0, addresses: 0 },
      unmapped: new Map(),
      held: emptyHeld(),
    };
    this.tokens.push(token);
    return token;
  }

  pick(n: number): TokenModel | undefined {
    return this.tokens.length === 0 ? undefined : this.tokens[n % this.tokens.length];
  }
}

export function recordCrmWrite(model: TokenModel, crmId: string, input: Partial<CrmContactInput>): void {
  const writes: CrmWrites = model.crmWrites?.crmId === crmId ? model.crmWrites : { crmId };
  for (const key of ['notes', 'salutation', 'emails', 'phones', 'websites', 'addresses'] as const) {
    // Plain JSON copies: fast-check builds records without Object.prototype.
    if (input[key] !== undefined) Object.assign(writes, { [key]: JSON.parse(JSON.stringify(input[key])) });
  }
  model.crmWrites = writes;
  recordCrmHeld(model.held, input);
}

export function recordOutlookWrite(
  model: TokenModel,
  exchangeId: string,
  body: Record<string, unknown>,
): void {
  const touched: Record<Group, boolean> = {
    emails: 'emailAddresses' in body,
    phones: 'businessPhones' in body || 'homePhones' in body || 'mobilePhone' in body,
    websites: 'businessHomePage' in body,
    addresses: 'businessAddress' in body || 'homeAddress' in body || 'otherAddress' in body,
  };
  for (const group of GROUPS) if (touched[group]) model.outlookTouches[group]++;
  recordOutlookHeld(model.held, body);
  const unmapped = model.unmapped.get(exchangeId) ?? {};
  for (const key of ['personalNotes', 'nickName'])
    if (typeof body[key] === 'string') unmapped[key] = body[key] as string;
  model.unmapped.set(exchangeId, unmapped);
}

/** Figures for the soak report (and the test's log line). */
export interface Stats {
  sequences: number;
  actions: number;
  /** Actions whose target was gone when they ran (deleted meanwhile, or not synced yet). */
  noops: number;
  faults: Record<string, number>;
  violations: Record<string, number>;
  failedSequences: number;
}

export function emptyStats(): Stats {
  return { sequences: 0, actions: 0, noops: 0, faults: {}, violations: {}, failedSequences: 0 };
}

export function count(record: Record<string, number>, key: string, n = 1): void {
  record[key] = (record[key] ?? 0) + n;
}

/** The real side of one run: the stack, this run's account and mailbox, and fault switches. */
export interface Run {
  stack: ReliabilityStack;
  accountId: string;
  mailbox: string;
  domain: string;
  stats: Stats;
  /** A second contact folder of the mailbox, where the Outlook user moves contacts to. */
  folderId: string;
  /** Work started by the "second worker" fault; awaited before the drain. */
  background: Promise<unknown>[];
  crash: CrashState;
}

/** The armed crash (crash-hooks.ts) and what it left behind. */
export interface CrashState {
  armed: boolean;
  remoteWrote: boolean;
  /** Link ids of the Outlook copies the sync created while the crash was armed. */
  created: Set<string>;
  /**
   * Copies whose link the crash kept from the mirror (link id → token), until a mirror write
   * records it: the retry finds such a copy by its marker, and one the user deleted first it
   * cannot tell from a create that never happened, so it makes the copy again (pending.ts,
   * engine-unrecorded-copy.test.ts).
   */
  unrecorded: Map<string, string>;
}

export function idleCrash(): CrashState {
  return { armed: false, remoteWrote: false, created: new Set(), unrecorded: new Map() };
}

export function crmContactsOf(run: Run, token: string): CrmContact[] {
  return run.stack.crm.admin.contacts().filter((c) => tokenOf(c.firstName) === token);
}

export function outlookContactsOf(run: Run, token: string): Record<string, unknown>[] {
  return run.stack.graph.admin.contacts(run.mailbox).filter((c) => tokenOf(c['givenName']) === token);
}
