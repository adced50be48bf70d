import type { TextEncoding } from './decode-text';
import { detectFormat } from './detect-format';
import { ImportError } from './errors';
import { locateHeader } from './header';
import { resolveLimits, tooManyColumns, tooManyRows, type ImportLimits } from './limits';
import { readTableOffThread } from './parse-workers';
import type { ParsedSheet, RawTable } from './types';

export interface ParseInput {
  file: Buffer;
  filename: string;
  sheet?: string;
  encoding?: TextEncoding;
  limits?: Partial<ImportLimits>;
  /** Sees each kept row as it is read (for PhonePrefetch). */
  onRow?: (cells: readonly string[]) => void;
}

/**
 * Reads an upload into header + text rows. No mapping, no phone rules: see applyMapping. The file
 * is read in a worker thread (parse-workers.ts); only its rows come back to this one.
 */
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
  const table: RawTable = { rowNumbers: [], rows: [] };
  const onRow = input.onRow;
  const info = await readTableOffThread(
    input.file,
    {
      format,
      limits,
      ...(input.sheet !== undefined ? { sheet: input.sheet } : {}),
      ...(input.encoding ? { encoding: input.encoding } : {}),
    },
    (rowNumber, cells) => {
      table.rowNumbers.push(rowNumber);
      table.rows.push(cells);
      onRow?.(cells);
    },
  );

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
    sheetName: info.sheetName,
    sheetNames: info.sheetNames,
    encoding: info.encoding,
    delimiter: info.delimiter,
    headerRow: table.rowNumbers[header.index] ?? 1,
    headers: header.headers,
    rowNumbers: table.rowNumbers.slice(header.index + 1),
    rows,
  };
}
