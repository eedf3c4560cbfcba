import { findIana } from 'windows-iana';
import { z } from 'zod';
import { isSyncError } from '../../errors.js';
import { api, callGraph, type GraphCaller } from './graph-call.js';
import { paths } from './graph-paths.js';

/**
 * The mailbox's time zone as an IANA name, for birthdays (birthday.ts). Exchange answers
 * `GET /users/{m}/mailboxSettings/timeZone` with `{ value }`, a Windows name such as
 * "W. Europe Standard Time" (or an IANA name when one was set through Graph) — "Get user
 * mailbox settings". Windows names map to IANA by CLDR's windowsZones table (`windows-iana`,
 * territory 001). The call needs the application permission MailboxSettings.Read; without it
 * (403), for an unknown name, or a mailbox without settings, the zone is Europe/Berlin, the
 * zone of FLOWFACT's users.
 *
 * Cached per mailbox for `ttlMs` (default 6 h): a user rarely changes it, and one read per
 * mailbox keeps a CRM edit at one Graph write.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

const settingSchema = z.object({ value: z.string().nullable().optional() }).loose();

export class MailboxTimeZones {
  private readonly cache = new Map<string, { zone: string; until: number }>();

  constructor(
    private readonly graph: GraphCaller,
    private readonly ttlMs = 6 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async zoneOf(mailbox: string): Promise<string> {
    const key = mailbox.toLowerCase();
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.zone;
    const zone = await this.read(mailbox);
    this.cache.set(key, { zone, until: this.now() + this.ttlMs });
    return zone;
  }

  private async read(mailbox: string): Promise<string> {
    try {
      const setting = await callGraph(
        this.graph,
        mailbox,
        'GET /users/{m}/mailboxSettings/timeZone',
        (client) => api(client, paths.mailboxTimeZone(mailbox)).get(),
        settingSchema,
      );
      return ianaZone(setting.value);
    } catch (error) {
      // Not permitted (MailboxSettings.Read not granted) or no settings: the default. A
      // temporary failure or an unreadable mailbox is the caller's to see.
      if (isSyncError(error, 'auth') || isSyncError(error, 'notFound') || isSyncError(error, 'invalid'))
        return DEFAULT_TIME_ZONE;
      throw error;
    }
  }
}

/** A Windows or IANA zone name → an IANA name this runtime knows; the default otherwise. */
export function ianaZone(name: string | null | undefined): string {
  const text = name?.trim();
  if (!text) return DEFAULT_TIME_ZONE;
  const candidates = [...findIana(text), text];
  return candidates.find(isIanaZone) ?? DEFAULT_TIME_ZONE;
}

function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}
