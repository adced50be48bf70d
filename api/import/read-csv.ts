import { parse } from 'csv-parse/sync';
import { decodeText, type DetectedEncoding, type TextEncoding } from './decode-text';
import { ImportError } from './errors';
import { HEADER_SCAN_ROWS, tooManyColumns, tooManyRows, type ImportLimits } from './limits';
import type { RawTable } from './types';
import { trimRow } from './trim-row';

export interface CsvTable extends RawTable {
  encoding: DetectedEncoding;
  delimiter: string;
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

export function readCsv(file: Buffer, limits: ImportLimits, encoding?: TextEncoding): CsvTable {
  const decoded = decodeText(file, encoding);
  const delimiter = sniffDelimiter(decoded.text);
  let records: string[][];
  try {
    records = parse(decoded.text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    throw new ImportError(
      'CORRUPT_FILE',
      `The CSV file cannot be parsed: ${(error as Error).message}`,
      {},
      {
        cause: error,
      },
    );
  }

  const table: CsvTable = { rowNumbers: [], rows: [], encoding: decoded.encoding, delimiter };
  for (let i = 0; i < records.length; i++) {
    const cells = trimRow(records[i] ?? []);
    if (cells.length === 0) continue;
    if (cells.length > limits.maxColumns) throw tooManyColumns(cells.length, limits);
    table.rowNumbers.push(i + 1);
    table.rows.push(cells);
    // The header is one of the first rows; anything past this count is certainly too many.
    if (table.rows.length > limits.maxRows + HEADER_SCAN_ROWS) throw tooManyRows(limits);
  }
  return table;
}

/**
 * Picks the delimiter that splits the first lines into the same number of fields most often.
 * Turkish Excel writes ';' because ',' is the decimal separator, so amounts like 1.234,50 make the
 * comma count vary from line to line while the semicolon count stays put.
 */
export function sniffDelimiter(text: string): string {
  const lines = text
    .slice(0, 64 * 1024)
    .split(/\r?\n/)
    .slice(0, 30)
    .map((line) => line.replace(/"[^"]*"/g, '""'))
    .filter((line) => line.trim() !== '');
  let best: { delimiter: string; agreeing: number; fields: number } = {
    delimiter: ',',
    agreeing: 0,
    fields: 0,
  };
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => line.split(delimiter).length - 1);
    const mode = modeOf(counts.filter((n) => n > 0));
    if (mode === 0) continue;
    const agreeing = counts.filter((n) => n === mode).length;
    if (agreeing > best.agreeing || (agreeing === best.agreeing && mode > best.fields)) {
      best = { delimiter, agreeing, fields: mode };
    }
  }
  return best.delimiter;
}

function modeOf(values: number[]): number {
  const tally = new Map<number, number>();
  let mode = 0;
  let top = 0;
  for (const v of values) {
    const n = (tally.get(v) ?? 0) + 1;
    tally.set(v, n);
    if (n > top || (n === top && v > mode)) {
      top = n;
      mode = v;
    }
  }
  return mode;
}
