/**
 * Exchange names mailbox time zones with Windows ids (mailboxSettings.timeZone answers e.g.
 * "Pacific Standard Time", Get user mailbox settings), while the arithmetic needs IANA zones.
 * The Windows → IANA pairs are the CLDR windowsZones mapping ("001" territory).
 */
export const WINDOWS_TO_IANA: Record<string, string> = {
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  UTC: 'Etc/UTC',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'India Standard Time': 'Asia/Calcutta',
};

export function isKnownTimeZone(windowsName: string): boolean {
  return windowsName in WINDOWS_TO_IANA;
}

/** Offset of `zone` from UTC at `at`, in ms (positive east of Greenwich). */
function offsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * Midnight at the start of `date` (YYYY-MM-DD) in the mailbox's time zone, in UTC: how Outlook
 * clients store a birthday (1 May 1980 in Berlin → 1980-04-30T22:00:00Z; issue 13).
 */
export function localMidnightUtc(date: string, windowsName: string): string {
  const zone = WINDOWS_TO_IANA[windowsName] ?? 'Etc/UTC';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let at = wall - offsetMs(zone, wall);
  at = wall - offsetMs(zone, at);
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
