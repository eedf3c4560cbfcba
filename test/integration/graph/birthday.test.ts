import { describe, expect, it } from 'vitest';
import { birthdayFromGraph, birthdayToGraph } from '../../../shared/adapters/graph/birthday.js';
import { DEFAULT_TIME_ZONE, ianaZone } from '../../../shared/adapters/graph/mailbox-time-zone.js';

/**
 * Outlook stores a birthday as the local midnight of the mailbox's zone, in UTC: 1 May 1980 in
 * Berlin is 1980-04-30T22:00:00Z (issue 13; summer time, +02:00), 15 January 1980 is
 * 1980-01-14T23:00:00Z (+01:00).
 */
describe('birthdays are calendar dates of the mailbox’s time zone', () => {
  it.each([
    ['1980-04-30T22:00:00Z', 'Europe/Berlin', '1980-05-01'],
    ['1980-01-14T23:00:00Z', 'Europe/Berlin', '1980-01-15'],
    ['1980-04-30T22:00:00.0000000Z', 'Europe/Berlin', '1980-05-01'],
    ['1980-05-01T00:00:00Z', 'Europe/Berlin', '1980-05-01'], // midnight UTC, as written before
    ['1980-05-01T07:00:00Z', 'America/Los_Angeles', '1980-05-01'],
    ['1980-05-01T11:59:00Z', 'Asia/Tokyo', '1980-05-01'],
    ['1974-07-22', 'Europe/Berlin', '1974-07-22'], // date-only, as in the update-contact example
    ['1604-05-01T00:00:00Z', 'Etc/UTC', '1604-05-01'], // Outlook's "no year"
  ])('%s in %s → %s', (raw, zone, date) => {
    expect(birthdayFromGraph(raw, zone)).toBe(date);
  });

  it('rejects what is no date', () => {
    expect(birthdayFromGraph('not a date', 'Europe/Berlin')).toBeNull();
    expect(birthdayFromGraph('1980-02-30', 'Europe/Berlin')).toBeNull();
    expect(birthdayFromGraph('', 'Europe/Berlin')).toBeNull();
    expect(() => birthdayToGraph('1980-02-30', 'Europe/Berlin')).toThrow(RangeError);
  });

  it.each([
    ['1980-05-01', 'Europe/Berlin', '1980-04-30T22:00:00Z'],
    ['1980-01-15', 'Europe/Berlin', '1980-01-14T23:00:00Z'],
    ['1980-05-01', 'America/Los_Angeles', '1980-05-01T07:00:00Z'],
    ['1980-05-01', 'Etc/UTC', '1980-05-01T00:00:00Z'],
  ])('writes %s in %s as its local midnight %s, and reads it back', (date, zone, instant) => {
    expect(birthdayToGraph(date, zone)).toBe(instant);
    expect(birthdayFromGraph(birthdayToGraph(date, zone), zone)).toBe(date);
  });
});

describe('ianaZone: Exchange’s Windows names (CLDR windowsZones, territory 001)', () => {
  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['UTC', 'Etc/UTC'],
    ['Europe/Vienna', 'Europe/Vienna'],
    ['Not A Zone', DEFAULT_TIME_ZONE],
    [null, DEFAULT_TIME_ZONE],
    ['', DEFAULT_TIME_ZONE],
  ])('%s → %s', (name, zone) => {
    expect(ianaZone(name)).toBe(zone);
  });
});
