import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cell-text';
import { ImportError } from './errors';
import { HEADER_SCAN_ROWS, tooManyColumns, tooManyRows, type ImportLimits } from './limits';
import type { RawTable } from './types';
import { inspectXlsx } from './zip-guard';

/** The streaming reader's options (the import benchmark's bare parse uses them too). */
export const XLSX_READER_OPTIONS: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions> = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  // Styles carry the number formats that tell a date from a number.
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
};

export interface XlsxTable extends RawTable {
  sheetName: string;
}

/**
 * Streams one sheet (the first tab, or the named one) into text rows. The streaming reader keeps
 * only shared strings and styles in memory, never the whole workbook model.
 */
export async function readXlsx(
  file: Buffer,
  limits: ImportLimits,
  sheet?: string,
  onRow?: (cells: readonly string[]) => void,
): Promise<XlsxTable> {
  const { sheetNames } = await inspectXlsx(file, limits);
  const target = sheet === undefined ? sheetNames[0] : findSheet(sheetNames, sheet);

  const table: XlsxTable = { rowNumbers: [], rows: [], sheetName: target ?? '' };
  let found = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), XLSX_READER_OPTIONS);
    // Other sheets are read to their end and dropped: exceljs deletes the temp file a sheet was
    // spooled into as soon as the loop moves on, and a sheet left unread would then fail to open its
    // file outside this promise (an uncaught ENOENT). The loop also runs to the end for that cleanup.
    for await (const worksheet of reader) {
      const name = (worksheet as { name?: string }).name;
      if (found || (target !== undefined && name !== target)) {
        for await (const _row of worksheet) {
          // drained, not read
        }
        continue;
      }
      found = true;
      table.sheetName = name ?? table.sheetName;
      for await (const row of worksheet) {
        const cells = readRow(row, table, limits);
        if (cells) onRow?.(cells);
      }
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(
      'CORRUPT_FILE',
      `The workbook cannot be read: ${(error as Error).message}`,
      {},
      {
        cause: error,
      },
    );
  }
  if (!found) {
    throw new ImportError(
      'CORRUPT_FILE',
      `The workbook lists sheet "${target ?? '?'}" but does not contain it`,
    );
  }
  return table;
}

/** Appends the row's text cells to the table and returns them; undefined for an empty row. */
function readRow(row: ExcelJS.Row, table: RawTable, limits: ImportLimits): string[] | undefined {
  // Filled in place and trimmed in place: at 100k rows every extra array per row shows up in GC time.
  const cells: string[] = [];
  let width = 0;
  row.eachCell((cell, column) => {
    const value: unknown = cell.value;
    // Only formula results need the format: exceljs already turns plain date cells into Dates.
    const numFmt = typeof value === 'object' && value !== null && 'result' in value ? cell.numFmt : undefined;
    const text = cellText(value, numFmt).trim();
    if (text === '') return;
    while (cells.length < column - 1) cells.push('');
    cells.push(text);
    width = column;
  });
  if (width === 0) return undefined;
  if (width > limits.maxColumns) throw tooManyColumns(width, limits);
  table.rowNumbers.push(row.number);
  table.rows.push(cells);
  if (table.rows.length > limits.maxRows + HEADER_SCAN_ROWS) throw tooManyRows(limits);
  return cells;
}

function findSheet(sheetNames: string[], wanted: string): string {
  const key = wanted.trim().toLocaleLowerCase('tr');
  const name =
    sheetNames.find((n) => n === wanted) ?? sheetNames.find((n) => n.trim().toLocaleLowerCase('tr') === key);
  if (name === undefined) {
    throw new ImportError('SHEET_NOT_FOUND', `The workbook has no sheet named "${wanted}"`, {
      sheets: sheetNames,
    });
  }
  return name;
}
