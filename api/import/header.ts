import { ImportError } from './errors';
import { HEADER_SCAN_ROWS } from './limits';
import type { RawTable } from './types';
import { valueKind } from './value-kinds';

export interface HeaderLocation {
  /** Index into the table's rows (not the spreadsheet row number). */
  index: number;
  headers: string[];
}

/**
 * Finds the header: the first of the top non-empty rows whose cells are mostly filled with text
 * (not numbers or dates). Exports often start with a title line or a blank row or two; a row of
 * data (phones, amounts) never qualifies, so a file without a header is refused rather than
 * having its first contact swallowed as column names.
 */
export function locateHeader(table: RawTable): HeaderLocation {
  const scanned = table.rows.slice(0, HEADER_SCAN_ROWS);
  if (scanned.length === 0) throw new ImportError('EMPTY_SHEET', 'The sheet has no data');
  const width = Math.max(...scanned.map((row) => row.length));
  const index = scanned.findIndex((row) => isHeaderLike(row, width));
  if (index < 0) {
    throw new ImportError(
      'NO_HEADER_ROW',
      `No header row (column names such as "Telefon", "Ad Soyad") in the first ${HEADER_SCAN_ROWS} rows`,
    );
  }
  return { index, headers: headerNames(table.rows[index] ?? [], widest(table.rows)) };
}

function isHeaderLike(row: string[], width: number): boolean {
  let filled = 0;
  let text = 0;
  for (const cell of row) {
    if (cell === '') continue;
    filled++;
    if (valueKind(cell) === 'text') text++;
  }
  const minimum = width === 1 ? 1 : 2;
  return filled >= minimum && filled >= width / 2 && text >= filled * 0.8;
}

function widest(rows: string[][]): number {
  let width = 0;
  for (const row of rows) if (row.length > width) width = row.length;
  return width;
}

/** Names every column (blank headers get "Column D"), making duplicates unique: "Telefon (2)". */
function headerNames(row: string[], width: number): string[] {
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < width; i++) {
    const base = (row[i] ?? '').replace(/\s+/g, ' ') || `Column ${columnLetter(i)}`;
    const count = (seen.get(base.toLocaleLowerCase('tr')) ?? 0) + 1;
    seen.set(base.toLocaleLowerCase('tr'), count);
    names.push(count === 1 ? base : `${base} (${count})`);
  }
  return names;
}

export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
