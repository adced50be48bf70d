export type ValueKind = 'date' | 'number' | 'text';

const MONTHS =
  'ocak|subat|şubat|mart|nisan|mayis|mayıs|haziran|temmuz|agustos|ağustos|eylul|eylül|ekim|kasim|kasım|aralik|aralık|' +
  'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const DATE_PATTERNS = [
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{1,2}[./-]\d{1,2}[./-]\d{2}(?:\d{2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{4}[./]\d{1,2}[./]\d{1,2}$/,
  /^\d{1,2}:\d{2}(?::\d{2})?$/,
  new RegExp(`^\\d{1,2}\\s+(?:${MONTHS})[a-zçğıöşü]*\\.?\\s+\\d{2,4}$`, 'i'),
  new RegExp(`^(?:${MONTHS})[a-zçğıöşü]*\\.?\\s+\\d{1,2},?\\s+\\d{4}$`, 'i'),
];
// Digits with separators, signs, brackets and currency marks, but no letters besides a currency code.
const NUMBER_PATTERN = /^[-+(]?[₺$€£]?\s*[\d.,'\s()/-]*\d[\d.,'\s()/-]*\s*(?:₺|\$|€|£|%|tl|try|usd|eur)?$/i;

export function valueKind(text: string): ValueKind {
  if (DATE_PATTERNS.some((pattern) => pattern.test(text))) return 'date';
  if (NUMBER_PATTERN.test(text)) return 'number';
  return 'text';
}

export interface KindShares {
  nonEmpty: number;
  date: number;
  number: number;
}

/** Shares of dates and numbers among the non-empty values of one column in the first `sample` rows. */
export function kindShares(rows: string[][], column: number, sample = 500): KindShares {
  let nonEmpty = 0;
  let dates = 0;
  let numbers = 0;
  const end = Math.min(rows.length, sample);
  for (let i = 0; i < end; i++) {
    const value = rows[i]?.[column] ?? '';
    if (value === '') continue;
    nonEmpty++;
    const kind = valueKind(value);
    if (kind === 'date') dates++;
    else if (kind === 'number') numbers++;
  }
  return nonEmpty === 0
    ? { nonEmpty, date: 0, number: 0 }
    : { nonEmpty, date: dates / nonEmpty, number: numbers / nonEmpty };
}
