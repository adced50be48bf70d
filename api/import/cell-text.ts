/**
 * The text a person sees in an Excel cell, from an exceljs cell value. Numbers never go through
 * exponent notation (a phone stored as the number 5321234567 must stay "5321234567"), dates become
 * ISO text, and formulas give their cached result: we never evaluate anything a customer uploaded.
 */
export function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    return numFmt !== undefined && isDateFormat(numFmt)
      ? dateText(excelSerialToDate(value))
      : numberText(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') return objectText(value, numFmt);
  return '';
}

function objectText(value: object, numFmt?: string): string {
  if (value instanceof Date) return dateText(value);
  if ('richText' in value && Array.isArray(value.richText)) {
    return (value.richText as { text?: unknown }[])
      .map((run) => (typeof run.text === 'string' ? run.text : ''))
      .join('');
  }
  // Formula (plain or shared): the value Excel cached when the file was saved, if any.
  if ('formula' in value || 'sharedFormula' in value) {
    const result = 'result' in value ? value.result : undefined;
    return typeof result === 'number' && !Number.isFinite(result) ? '' : cellText(result, numFmt);
  }
  if ('error' in value && typeof value.error === 'string') return value.error;
  // Hyperlink cell: the displayed text, not the target.
  if ('text' in value) return cellText(value.text, numFmt);
  return '';
}

export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  // Excel shows at most 15 significant digits; this hides binary noise such as 0.30000000000000004.
  // A shortest form that already fits in 15 digits is what that rounding gives back (a double
  // carries more than 15 digits), so the rounding is skipped for it: most amounts are like that.
  const shortest = String(n);
  if (!shortest.includes('e') && significantDigits(shortest) <= 15) return shortest;
  return String(Number(n.toPrecision(15)));
}

function significantDigits(decimal: string): number {
  let count = 0;
  for (let i = 0; i < decimal.length; i++) {
    const code = decimal.charCodeAt(i);
    if (code >= 48 && code <= 57 && (count > 0 || code !== 48)) count++;
  }
  return count;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function excelSerialToDate(serial: number): Date {
  return new Date(EXCEL_EPOCH_MS + serial * 86_400_000);
}

/** yyyy-mm-dd, with THH:MM[:SS] when there is a time; a bare time (serial < 1) gives HH:MM[:SS]. */
export function dateText(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  // A list repeats a few hundred due dates over 100k rows; formatting each again is pure garbage.
  const known = recentDates.get(ms);
  if (known !== undefined) return known;
  if (recentDates.size >= DATE_CACHE_SIZE) recentDates.clear();
  const text = formatDate(ms);
  recentDates.set(ms, text);
  return text;
}

const DATE_CACHE_SIZE = 4096;
const recentDates = new Map<number, string>();

function formatDate(ms: number): string {
  const iso = new Date(Math.round(ms / 1000) * 1000).toISOString();
  const day = iso.slice(0, 10);
  const time = iso.endsWith(':00.000Z') ? iso.slice(11, 16) : iso.slice(11, 19);
  if (day === '1899-12-30') return time;
  return time === '00:00' ? day : `${day}T${time}`;
}

/** Date/time number formats contain d, m, y, h or s outside quoted text, escapes and [colour] tags. */
export function isDateFormat(numFmt: string): boolean {
  const bare = numFmt.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}
