import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** German first (the users are German estate agents); English when the browser prefers it. */
export type Locale = 'de' | 'en';

export const BERLIN = 'Europe/Berlin';

/**
 * Picks the locale from an Accept-Language header (RFC 9110 §12.5.4): the supported language
 * with the highest q-value; ties keep the header's order; German when nothing matches.
 */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return 'de';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag.length > 0 && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    const primary = range.tag.split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'de';
}

/** Date and time of an instant in Berlin, as the locale writes it. */
export function formatInstant(iso: string | null | undefined, locale: Locale): string | null {
  if (!iso) return null;
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return null;
  const berlin = new TZDate(time, BERLIN);
  return locale === 'de' ? `${format(berlin, 'dd.MM.yyyy, HH:mm')} Uhr` : format(berlin, 'dd/MM/yyyy, HH:mm');
}
