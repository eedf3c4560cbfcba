import { describe, expect, it } from 'vitest';
import { formatInstant, pickLocale } from '../../../web/i18n/locale.js';

describe('locale', () => {
  it('is German first, English when the browser prefers it', () => {
    expect(pickLocale(null)).toBe('de');
    expect(pickLocale('')).toBe('de');
    expect(pickLocale('fr-FR,fr;q=0.9')).toBe('de');
    expect(pickLocale('en-US,en;q=0.9,de;q=0.8')).toBe('en');
    expect(pickLocale('de-DE,de;q=0.9,en;q=0.8')).toBe('de');
    expect(pickLocale('fr;q=1, en;q=0.5, de;q=0.7')).toBe('de');
    expect(pickLocale('en;q=0, de;q=0.1')).toBe('de');
    expect(pickLocale('en-GB')).toBe('en');
  });

  it('writes instants in Berlin time (summer and winter)', () => {
    expect(formatInstant('2025-07-18T21:59:00Z', 'de')).toBe('18.07.2025, 23:59 Uhr');
    expect(formatInstant('2025-12-31T23:30:00Z', 'de')).toBe('01.01.2026, 00:30 Uhr');
    expect(formatInstant('2025-07-31T22:00:00Z', 'en')).toBe('01/08/2025, 00:00');
    expect(formatInstant(null, 'de')).toBeNull();
    expect(formatInstant('not a date', 'de')).toBeNull();
  });
});
