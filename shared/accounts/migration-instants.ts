import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/**
 * The two instants of the V2 → V3 migration (DESIGN section 1). The source documents name German
 * calendar days ("bis zum 18.07.2025", "am 01.08.2025 abgeschaltet"), so the instants are derived
 * from Europe/Berlin dates here instead of being typed as UTC literals: the reader sees why
 * 22:00Z is right (CEST, UTC+2, in July) and the code stays right for custom dates in winter.
 */

export const BERLIN = 'Europe/Berlin';

export interface MigrationInstants {
  /** First instant at which an unmigrated V2 account is overdue (the end of the last allowed day). */
  deadline: Date;
  /** First instant at which V2 sync is off. */
  shutdown: Date;
}

/** 00:00 Berlin time on the given calendar day (month 1–12). */
export function startOfBerlinDay(year: number, month: number, day: number): Date {
  return new Date(new TZDate(year, month - 1, day, BERLIN).getTime());
}

/** The first instant after the given Berlin calendar day: the day is allowed in full. */
export function endOfBerlinDay(year: number, month: number, day: number): Date {
  return startOfBerlinDay(year, month, day + 1);
}

export const DEFAULT_MIGRATION_INSTANTS: Readonly<MigrationInstants> = Object.freeze({
  // "Wenn Sie Ihr E-Mail-Konto nicht bis zum 18.07.2025 migrieren …": 18.07. is still allowed.
  deadline: endOfBerlinDay(2025, 7, 18),
  // "Die ältere V2-Technologie wird am 01.08.2025 abgeschaltet": off from the start of that day.
  shutdown: startOfBerlinDay(2025, 8, 1),
});

/** German date (dd.MM.yyyy) of the Berlin calendar day that contains the instant. */
export function berlinDate(instant: Date): string {
  return format(new TZDate(instant.getTime(), BERLIN), 'dd.MM.yyyy');
}

/** The last allowed day before the deadline instant, as shown to users ("bis zum 18.07.2025"). */
export function lastAllowedDay(instants: MigrationInstants): string {
  return berlinDate(new Date(instants.deadline.getTime() - 1));
}

/** The day the V2 sync stops, as shown to users ("ab dem 01.08.2025"). */
export function shutdownDay(instants: MigrationInstants): string {
  return berlinDate(instants.shutdown);
}
