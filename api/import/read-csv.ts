import { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { decodeText, type DetectedEncoding, type TextEncoding } from './decode-text';
import { ImportError } from './errors';
import { cellTooLong, RowLimits, type ImportLimits } from './limits';
import type { RowSink } from './types';
import { trimRow } from './trim-row';

const DELIMITERS = [';', ',', '\t', '|'] as const;
/** The decoded text is handed to the parser in slices, so its records can be counted as they come. */
const SLICE_CHARS = 64 * 1024;

/**
 * Streams the records to `onRow`, numbered as the file's records (empty lines count, as a
 * spreadsheet numbers them, but are skipped unparsed). Refuses as soon as a limit is passed.
 */
export async function readCsv(
  file: Buffer,
  limits: ImportLimits,
  encoding: TextEncoding | undefined,
  onRow: RowSink,
): Promise<{ encoding: DetectedEncoding; delimiter: string }> {
  const decoded = decodeText(file, encoding);
  const delimiter = sniffDelimiter(decoded.text);
  const parser = new NumberedParser({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Bounds the field and record buffers; each cell is held to maxCellLength below.
    max_record_size: limits.maxColumns * limits.maxCellLength,
  });
  const source = Readable.from(slices(decoded.text, SLICE_CHARS));
  source.pipe(parser);
  const count = new RowLimits(limits);
  try {
    for await (const [rowNumber, record] of parser as AsyncIterable<[number, string[]]>) {
      count.countRead();
      for (const cell of record) count.checkCell(rowNumber, cell);
      const cells = trimRow(record);
      if (cells.length === 0) continue;
      count.countKept(cells.length);
      onRow(rowNumber, cells);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE') {
      throw cellTooLong(parser.info.records + parser.info.empty_lines + 1, limits);
    }
    throw new ImportError(
      'CORRUPT_FILE',
      `The CSV file cannot be parsed: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  } finally {
    source.destroy();
    parser.destroy();
  }
  return { encoding: decoded.encoding, delimiter };
}

/**
 * Emits [record number, record]: the parser's counts are exact when it pushes a record, not when
 * the record is read off the stream. Its `info` option would give the same at three times the
 * cost per record (two object spreads each), which a file of blank records makes count.
 */
class NumberedParser extends Parser {
  override push(record: unknown): boolean {
    return super.push(record === null ? null : [this.info.records + this.info.empty_lines, record]);
  }
}

function* slices(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + size, text.length);
    // Never between the two halves of a surrogate pair: each half alone would become U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;
    yield text.slice(at, end);
    at = end;
  }
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
