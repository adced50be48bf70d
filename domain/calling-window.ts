/** Calling hours in the called party's local time (campaign `callingWindow`). */
export interface CallingWindow {
  /** "HH:MM", inclusive. */
  start: string;
  /** "HH:MM", exclusive; "24:00" means midnight at the end of the day. */
  end: string;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  days: number[];
}

export const DEFAULT_CALLING_WINDOW: CallingWindow = { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] };

const MINUTE = 60_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function minutesOf(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`Invalid time of day "${hhmm}", expected HH:MM`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60 || Number(match[2]) > 59) throw new Error(`Invalid time of day "${hhmm}"`);
  return minutes;
}

export function validateCallingWindow(window: CallingWindow): void {
  if (minutesOf(window.start) >= minutesOf(window.end)) throw new Error('callingWindow.start must be before end');
  if (window.days.length === 0 || window.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new Error('callingWindow.days must list ISO weekdays 1..7');
  }
}

/** Weekday (1..7) and minute of day of an instant in a time zone. */
function localClock(epochMs: number, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAYS.indexOf(get('weekday')) + 1, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isInsideWindow(epochMs: number, window: CallingWindow, timeZone: string): boolean {
  const { weekday, minute } = localClock(epochMs, timeZone);
  return window.days.includes(weekday) && minute >= minutesOf(window.start) && minute < minutesOf(window.end);
}

/**
 * Milliseconds until the window is open (0 when it is open now). Walks forward minute-aligned so
 * daylight-saving shifts and odd offsets need no special cases; at most eight days are searched.
 */
export function msUntilWindowOpens(epochMs: number, window: CallingWindow, timeZone: string): number {
  if (isInsideWindow(epochMs, window, timeZone)) return 0;
  const start = Math.ceil(epochMs / MINUTE) * MINUTE;
  for (let t = start; t < epochMs + 8 * 24 * 60 * MINUTE; t += 15 * MINUTE) {
    if (isInsideWindow(t, window, timeZone)) {
      // Step back to the first open minute within the 15-minute stride.
      let first = t;
      while (first - MINUTE >= start && isInsideWindow(first - MINUTE, window, timeZone)) first -= MINUTE;
      return first - epochMs;
    }
  }
  throw new Error('The calling window never opens');
}
