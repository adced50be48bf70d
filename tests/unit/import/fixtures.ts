import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';
import type { DncLookup } from '../../../api/import';

export type CellInput = ExcelJS.CellValue;

/** Builds an .xlsx in memory; `rows` start at row 1 unless `startRow` says otherwise. */
export async function xlsx(
  sheets: {
    name?: string;
    rows: CellInput[][];
    startRow?: number;
    configure?: (ws: ExcelJS.Worksheet) => void;
  }[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  sheets.forEach((sheet, i) => {
    const ws = workbook.addWorksheet(sheet.name ?? `Sheet${i + 1}`);
    sheet.rows.forEach((row, r) => {
      ws.getRow((sheet.startRow ?? 1) + r).values = row;
    });
    sheet.configure?.(ws);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function csv(
  lines: string[],
  options: { encoding?: string; bom?: boolean; eol?: string } = {},
): Buffer {
  const text = lines.join(options.eol ?? '\r\n') + (options.eol ?? '\r\n');
  const body = iconv.encode(text, options.encoding ?? 'utf-8');
  return options.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** Unzips an xlsx, lets the test edit its parts, zips it again. */
export function rezip(file: Buffer, edit: (parts: Record<string, Uint8Array>) => void): Buffer {
  const parts = unzipSync(file);
  edit(parts);
  return Buffer.from(zipSync(parts as Zippable));
}

export function replaceInPart(
  parts: Record<string, Uint8Array>,
  name: string,
  from: string,
  to: string,
): void {
  const text = Buffer.from(parts[name]!).toString('utf8');
  if (!text.includes(from)) throw new Error(`${name} has no ${from}`);
  parts[name] = strToU8(text.replace(from, to));
}

export function fakeDnc(listed: Iterable<string>): DncLookup & { calls: string[][] } {
  const set = new Set(listed);
  const calls: string[][] = [];
  const lookup = (e164s: string[]) => {
    calls.push(e164s);
    return Promise.resolve(new Set(e164s.filter((n) => set.has(n))));
  };
  return Object.assign(lookup, { calls });
}

export const noDnc = fakeDnc([]);
