import type { TextEncoding } from './decode-text';
import { detectFormat } from './detect-format';
import { ImportError } from './errors';
import { locateHeader } from './header';
import { resolveLimits, tooManyColumns, tooManyRows, type ImportLimits } from './limits';
import { readCsv } from './read-csv';
import { readXlsx } from './read-xlsx';
import type { ParsedSheet } from './types';

export interface ParseInput {
  file: Buffer;
  filename: string;
  sheet?: string;
  encoding?: TextEncoding;
  limits?: Partial<ImportLimits>;
  /** Sees each kept xlsx row as it is read (for PhonePrefetch); CSV is parsed in one go. */
  onRow?: (cells: readonly string[]) => void;
}

/** Reads an upload into header + text rows. No mapping, no phone rules: see applyMapping. */
export async function parseContactFile(input: ParseInput): Promise<ParsedSheet> {
  const limits = resolveLimits(input.limits);
  if (input.file.length > limits.maxBytes) {
    throw new ImportError('FILE_TOO_LARGE', `The file is larger than ${limits.maxBytes} bytes`, {
      maxBytes: limits.maxBytes,
      bytes: input.file.length,
    });
  }
  const format = detectFormat(input.file, input.filename);
  if (format === 'csv' && input.sheet !== undefined) {
    throw new ImportError('SHEET_NOT_FOUND', 'A CSV file has no sheets; leave the sheet out', { sheets: [] });
  }
  const table =
    format === 'xlsx'
      ? { ...(await readXlsx(input.file, limits, input.sheet, input.onRow)), encoding: null, delimiter: null }
      : { ...readCsv(input.file, limits, input.encoding), sheetName: null };

  const header = locateHeader(table);
  const width = header.headers.length;
  if (width > limits.maxColumns) throw tooManyColumns(width, limits);
  const rows = table.rows.slice(header.index + 1);
  if (rows.length === 0)
    throw new ImportError('EMPTY_SHEET', 'The sheet has a header row but no contacts under it');
  if (rows.length > limits.maxRows) throw tooManyRows(limits);
  // Equal-length rows keep applyMapping free of bounds checks and make the stored draft regular.
  for (const row of rows) while (row.length < width) row.push('');

  return {
    format,
    sheetName: table.sheetName,
    encoding: table.encoding,
    delimiter: table.delimiter,
    headerRow: table.rowNumbers[header.index] ?? 1,
    headers: header.headers,
    rowNumbers: table.rowNumbers.slice(header.index + 1),
    rows,
  };
}
