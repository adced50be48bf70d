import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cell-text';
import { ImportError } from './errors';
import { RowLimits, type ImportLimits } from './limits';
import type { RowSink } from './types';
import { CheckedZip, corrupt } from './zip-guard';

/** The streaming reader's options (the import benchmark's bare parse uses them too). */
export const XLSX_READER_OPTIONS: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions> = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  // Styles carry the number formats that tell a date from a number.
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
};

/**
 * Streams one sheet (the first tab, or the named one) to `onRow`, row by row; empty rows are
 * skipped. The streaming reader keeps only shared strings and styles in memory.
 */
export async function readXlsx(
  file: Buffer,
  limits: ImportLimits,
  sheet: string | undefined,
  onRow: RowSink,
): Promise<{ sheetName: string; sheetNames: string[] }> {
  const zip = CheckedZip.open(file, limits);
  const sheetNames = await readSheetNames(zip);
  const target = sheet === undefined ? sheetNames[0] : findSheet(sheetNames, sheet);

  const count = new RowLimits(limits);
  let sheetName = target ?? '';
  let found = false;
  try {
    for await (const worksheet of checkedWorksheets(zip)) {
      const name = (worksheet as { name?: string }).name;
      // Other sheets go unparsed; checkedWorksheets still inflates them for the zip checks.
      if (found || (target !== undefined && name !== target)) continue;
      found = true;
      sheetName = name ?? sheetName;
      for await (const row of worksheet) readRow(row, count, onRow);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(
      'CORRUPT_FILE',
      `The workbook cannot be read: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  if (!found) {
    throw new ImportError(
      'CORRUPT_FILE',
      `The workbook lists sheet "${target ?? '?'}" but does not contain it`,
    );
  }
  return { sheetName, sheetNames };
}

async function readSheetNames(zip: CheckedZip): Promise<string[]> {
  const workbook = zip.find('xl/workbook.xml');
  if (!workbook) {
    if (zip.find('xl/workbook.bin')) {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        'Binary workbooks (.xlsb) are not supported; save as .xlsx',
      );
    }
    throw new ImportError('FORMAT_MISMATCH', 'The file is a zip archive but not an Excel workbook (.xlsx)');
  }
  const names: string[] = [];
  for (const match of (await zip.text(workbook)).matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g)) {
    names.push(decodeXmlText(match[1] ?? ''));
  }
  return names;
}

/** The parts of exceljs's WorkbookReader.parse that read one part each (exceljs is pinned at 4.4.0). */
interface PartReaders {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Generator<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * What WorkbookReader's own parse does, fed from the checked zip instead of exceljs's local-header
 * unzip: the parts that sheets depend on first, then each sheet streamed as it inflates (exceljs
 * would spool a sheet that comes before the shared strings to a temp file). Parts exceljs does not
 * read are inflated for their checks before any of it runs.
 */
async function* checkedWorksheets(zip: CheckedZip): AsyncGenerator<ExcelJS.stream.xlsx.WorksheetReader> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([]),
    XLSX_READER_OPTIONS,
  ) as unknown as PartReaders;
  const part = (name: string) => {
    const entry = zip.find(name);
    return entry && Readable.from(utf8(zip.chunks(entry)));
  };
  const parts = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
  const sheets = zip.entries.filter((e) => WORKSHEET.test(e.name));
  for (const entry of zip.entries) {
    if (!parts.includes(entry.name) && !sheets.includes(entry)) await zip.check(entry);
  }

  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels) await reader._parseRels(rels);
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw corrupt('xl/workbook.xml is missing');
  await reader._parseWorkbook(workbook);
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) {
    for await (const _ of reader._parseSharedStrings(sharedStrings)) {
      // cached by the reader, nothing emitted
    }
  }
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);
  for (const entry of sheets) {
    const sheetNo = WORKSHEET.exec(entry.name)?.[1] ?? '';
    const chunks = zip.chunks(entry);
    for (const { value } of reader._parseWorksheet(utf8(chunks), sheetNo)) yield value;
    // A sheet the caller skipped was never started: inflate it here, unparsed.
    for await (const _ of chunks) {
      // counted and scanned by chunks()
    }
  }
}

/** Decodes as a stream, so a character split between two inflated chunks stays whole. */
async function* utf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** Hands the row's text cells to `onRow`, unless the row is empty. */
function readRow(row: ExcelJS.Row, count: RowLimits, onRow: RowSink): void {
  count.countRead();
  // Filled in place and trimmed in place: at 100k rows every extra array per row shows up in GC time.
  const cells: string[] = [];
  let width = 0;
  row.eachCell((cell, column) => {
    const value: unknown = cell.value;
    // Only formula results need the format: exceljs already turns plain date cells into Dates.
    const numFmt = typeof value === 'object' && value !== null && 'result' in value ? cell.numFmt : undefined;
    const raw = cellText(value, numFmt);
    count.checkCell(row.number, raw);
    const text = raw.trim();
    if (text === '') return;
    while (cells.length < column - 1) cells.push('');
    cells.push(text);
    width = column;
  });
  if (width === 0) return;
  count.countKept(width);
  onRow(row.number, cells);
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

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, ref: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref[0] !== '#') return named[ref.toLowerCase()] ?? '';
    return String.fromCodePoint(
      ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)),
    );
  });
}
