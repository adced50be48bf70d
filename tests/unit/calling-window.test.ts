import { describe, expect, it } from 'vitest';
import {
  isInsideWindow,
  msUntilWindowOpens,
  validateCallingWindow,
  type CallingWindow,
} from '../../domain/calling-window';
import { calledPartyTimeZone } from '../../domain/phone-timezone';

const HOUR = 3_600_000;
const WEEKDAYS: CallingWindow = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] };
const EVERY_DAY: CallingWindow = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] };
const at = (iso: string) => Date.parse(iso);

describe('isInsideWindow', () => {
  // 2026-06-10 is a Wednesday; Istanbul is UTC+3 all year.
  it('opens at start (inclusive) and closes at end (exclusive)', () => {
    expect(isInsideWindow(at('2026-06-10T05:59:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(false);
    expect(isInsideWindow(at('2026-06-10T06:00:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(true);
    expect(isInsideWindow(at('2026-06-10T16:59:59Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(true);
    expect(isInsideWindow(at('2026-06-10T17:00:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(false);
  });

  it('reads the clock in the given zone, not UTC', () => {
    // 07:30 UTC is 10:30 in Istanbul and 03:30 in New York.
    expect(isInsideWindow(at('2026-06-10T07:30:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(true);
    expect(isInsideWindow(at('2026-06-10T07:30:00Z'), WEEKDAYS, 'America/New_York')).toBe(false);
  });

  it('honours the ISO weekdays of the local date', () => {
    // Saturday 2026-06-13 10:00 Istanbul.
    expect(isInsideWindow(at('2026-06-13T07:00:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(false);
    expect(isInsideWindow(at('2026-06-13T07:00:00Z'), EVERY_DAY, 'Europe/Istanbul')).toBe(true);
    // Sunday is 7; 2026-06-14 23:30 UTC is already Monday 02:30 in Istanbul.
    expect(isInsideWindow(at('2026-06-14T07:00:00Z'), { ...WEEKDAYS, days: [7] }, 'Europe/Istanbul')).toBe(
      true,
    );
    expect(
      isInsideWindow(
        at('2026-06-14T23:30:00Z'),
        { start: '00:00', end: '24:00', days: [7] },
        'Europe/Istanbul',
      ),
    ).toBe(false);
    expect(
      isInsideWindow(
        at('2026-06-14T23:30:00Z'),
        { start: '00:00', end: '24:00', days: [1] },
        'Europe/Istanbul',
      ),
    ).toBe(true);
  });

  it('accepts 24:00 as the end of the day', () => {
    const lateWindow: CallingWindow = { start: '18:00', end: '24:00', days: [3] };
    // Wednesday 23:59 Istanbul is inside, Thursday 00:00 is not.
    expect(isInsideWindow(at('2026-06-10T20:59:00Z'), lateWindow, 'Europe/Istanbul')).toBe(true);
    expect(isInsideWindow(at('2026-06-10T21:00:00Z'), lateWindow, 'Europe/Istanbul')).toBe(false);
    expect(() => validateCallingWindow(lateWindow)).not.toThrow();
  });
});

describe('msUntilWindowOpens', () => {
  it('is zero inside the window', () => {
    expect(msUntilWindowOpens(at('2026-06-10T10:00:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(0);
  });

  it('counts to the exact opening minute, also from a non-aligned instant', () => {
    // 08:59:30.250 Istanbul → 29.75 s.
    expect(msUntilWindowOpens(at('2026-06-10T05:59:30.250Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(29_750);
    // 20:00 Wednesday → 09:00 Thursday.
    expect(msUntilWindowOpens(at('2026-06-10T17:00:00Z'), WEEKDAYS, 'Europe/Istanbul')).toBe(13 * HOUR);
  });

  it('skips days outside the window: Friday evening waits for Monday morning', () => {
    // Friday 2026-06-12 20:30 Istanbul → Monday 2026-06-15 09:00 Istanbul.
    const from = at('2026-06-12T17:30:00Z');
    const wait = msUntilWindowOpens(from, WEEKDAYS, 'Europe/Istanbul');
    expect(new Date(from + wait).toISOString()).toBe('2026-06-15T06:00:00.000Z');
  });

  it('lands on the first open minute: a minute earlier is still closed', () => {
    for (const iso of ['2026-06-12T18:30:00Z', '2026-03-28T19:30:00Z', '2026-10-24T19:17:42Z']) {
      const from = at(iso);
      const wait = msUntilWindowOpens(from, WEEKDAYS, 'Europe/Berlin');
      expect(isInsideWindow(from + wait, WEEKDAYS, 'Europe/Berlin')).toBe(true);
      expect(isInsideWindow(from + wait - 60_000, WEEKDAYS, 'Europe/Berlin')).toBe(false);
    }
  });

  it('follows Berlin across the spring daylight-saving shift (the night is an hour shorter)', () => {
    // Saturday 2026-03-28 20:30 CET (UTC+1); Sunday 09:00 is CEST (UTC+2) = 07:00 UTC.
    const from = at('2026-03-28T19:30:00Z');
    expect(msUntilWindowOpens(from, EVERY_DAY, 'Europe/Berlin')).toBe(11.5 * HOUR);
  });

  it('follows Berlin across the autumn shift (the night is an hour longer)', () => {
    // Saturday 2026-10-24 20:30 CEST (UTC+2); Sunday 09:00 is CET (UTC+1) = 08:00 UTC.
    const from = at('2026-10-24T18:30:00Z');
    expect(msUntilWindowOpens(from, EVERY_DAY, 'Europe/Berlin')).toBe(13.5 * HOUR);
  });

  it('sees no shift in Istanbul, which keeps UTC+3 all year', () => {
    // The same local evening on the Berlin spring-forward weekend: a full 12.5 hours.
    expect(msUntilWindowOpens(at('2026-03-28T17:30:00Z'), EVERY_DAY, 'Europe/Istanbul')).toBe(12.5 * HOUR);
    expect(msUntilWindowOpens(at('2026-10-24T17:30:00Z'), EVERY_DAY, 'Europe/Istanbul')).toBe(12.5 * HOUR);
  });

  it('opens at midnight for a window starting at 00:00', () => {
    const nights: CallingWindow = { start: '00:00', end: '06:00', days: [4] };
    // Wednesday 2026-06-10 23:00 Istanbul → Thursday 00:00.
    expect(msUntilWindowOpens(at('2026-06-10T20:00:00Z'), nights, 'Europe/Istanbul')).toBe(HOUR);
  });
});

describe('validateCallingWindow', () => {
  it('rejects an empty or inverted window and bad weekdays', () => {
    expect(() => validateCallingWindow({ start: '20:00', end: '09:00', days: [1] })).toThrow(/before end/);
    expect(() => validateCallingWindow({ start: '09:00', end: '09:00', days: [1] })).toThrow(/before end/);
    expect(() => validateCallingWindow({ start: '09:00', end: '20:00', days: [] })).toThrow(/weekdays/);
    expect(() => validateCallingWindow({ start: '09:00', end: '20:00', days: [0] })).toThrow(/weekdays/);
    expect(() => validateCallingWindow({ start: '9:00', end: '20:00', days: [1] })).toThrow(/HH:MM/);
    expect(() => validateCallingWindow({ start: '09:00', end: '24:01', days: [1] })).toThrow(/Invalid time/);
  });
});

describe('calledPartyTimeZone', () => {
  it("uses the number's country when it has a single zone", () => {
    expect(calledPartyTimeZone('+905321234567', 'Europe/Berlin')).toBe('Europe/Istanbul');
    expect(calledPartyTimeZone('+4930901820', 'Europe/Istanbul')).toBe('Europe/Berlin');
    expect(calledPartyTimeZone('+442079460958', 'Europe/Istanbul')).toBe('Europe/London');
  });

  it("keeps the campaign's zone for countries with several zones or unknown numbers", () => {
    expect(calledPartyTimeZone('+12025550143', 'Europe/Istanbul')).toBe('Europe/Istanbul');
    expect(calledPartyTimeZone('+74951234567', 'Europe/Istanbul')).toBe('Europe/Istanbul');
    expect(calledPartyTimeZone('+34912345678', 'Europe/Madrid')).toBe('Europe/Madrid');
    expect(calledPartyTimeZone('not a number', 'Europe/Istanbul')).toBe('Europe/Istanbul');
  });

  it('names only zones the runtime knows', () => {
    for (const number of ['+905321234567', '+4930901820', '+442079460958', '+380441234567']) {
      const zone = calledPartyTimeZone(number, 'UTC');
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
    }
  });
});
