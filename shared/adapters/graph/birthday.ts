import { TZDate } from '@date-fns/tz';

/**
 * Birthdays are calendar dates; Graph carries them as a DateTimeOffset instant (contact
 * resource: `birthday` is "always in UTC time"). Outlook clients store the local midnight of the
 * mailbox's time zone: 1 May 1980 entered in Berlin is `1980-04-30T22:00:00Z` (issue 13). So:
 *
 * - read: the instant is turned into the date it falls on in the mailbox's time zone. A
 *   date-only value passes as it is.
 * - write: we send the local midnight of the date, in UTC — exactly the form Outlook itself
 *   writes. Not date-only: Graph takes `1974-07-22` (update-contact example) as midnight UTC,
 *   which Outlook west of Greenwich shows as the day before, and which our own read in a zone
 *   east of UTC+12 or west of UTC would turn into another date. Local midnight is the one
 *   instant every reader in the mailbox's zone (Outlook and us) turns into the same date, in
 *   winter and in summer time, and it survives a round trip through us unchanged.
 *
 * Pure: the zone is an IANA name (mailbox-time-zone.ts resolves Exchange's Windows names).
 */
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Graph's value → `YYYY-MM-DD` in `zone`; null when it is no date at all. */
export function birthdayFromGraph(raw: string | null | undefined, zone: string): string | null {
  const text = raw?.trim();
  if (!text) return null;
  if (DATE_ONLY.test(text)) return validDate(text);
  // An instant without an offset is read as UTC, as Graph means it.
  const at = Date.parse(HAS_OFFSET.test(text) ? text : `${text}Z`);
  if (Number.isNaN(at)) return null;
  const local = new TZDate(at, zone);
  return `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1, 2)}-${pad(local.getDate(), 2)}`;
}

/** `YYYY-MM-DD` → the instant of its local midnight in `zone`, as `…T…Z`. */
export function birthdayToGraph(date: string, zone: string): string {
  const parts = DATE_ONLY.exec(date);
  if (!parts || validDate(date) === null) throw new RangeError(`not a calendar date: ${date}`);
  const [, year, month, day] = parts.map(Number) as [number, number, number, number];
  const midnight = new TZDate(year, month - 1, day, zone);
  return new Date(midnight.getTime()).toISOString().replace('.000Z', 'Z');
}

function validDate(text: string): string | null {
  const check = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().startsWith(text) ? text : null;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
