import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';

/**
 * Hostile uploads, built in memory (nothing big is committed): zips laid out by hand so that their
 * central directory and their local headers disagree, and CSV files that are mostly nothing.
 */

const MB = 1024 * 1024;

export async function contactWorkbook(rows: (string | number)[][] = defaultRows()): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Liste');
  rows.forEach((row, i) => {
    sheet.getRow(i + 1).values = row;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function defaultRows(): string[][] {
  return [
    ['Ad Soyad', 'Telefon'],
    ['Ayşe Yılmaz', '0532 123 45 67'],
    ['Can Demir', '0533 765 43 21'],
  ];
}

interface Part {
  name: string;
  /** Uncompressed bytes. */
  data: Uint8Array;
  method?: 0 | 8;
  /** Overrides the uncompressed size written in the central directory. */
  declaredSize?: number;
}

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  declaredSize: number;
  offset: number;
}

/** A zip writer that lets a test choose which local entries the central directory lists. */
export class ZipCraft {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private readonly listed: Written[] = [];

  /** Writes a local entry; listed unless `unlisted`. Returns its local header's offset. */
  add(part: Part, options: { unlisted?: boolean } = {}): number {
    const written = localEntry(part, this.length);
    this.push(written.bytes);
    if (!options.unlisted) this.listed.push(written.entry);
    return written.entry.offset;
  }

  /** Lists an entry whose local header is somewhere already written (overlapping entries). */
  listAt(part: Part, offset: number): void {
    this.listed.push(localEntry(part, offset).entry);
  }

  raw(bytes: Buffer): void {
    this.push(bytes);
  }

  get offset(): number {
    return this.length;
  }

  finish(): Buffer {
    const directoryStart = this.length;
    for (const e of this.listed) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x800, 8);
      header.writeUInt16LE(e.method, 10);
      header.writeUInt32LE(e.crc, 16);
      header.writeUInt32LE(e.compressedSize, 20);
      header.writeUInt32LE(e.declaredSize, 24);
      header.writeUInt16LE(e.name.length, 28);
      header.writeUInt32LE(e.offset, 42);
      this.push(Buffer.concat([header, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.listed.length, 8);
    end.writeUInt16LE(this.listed.length, 10);
    end.writeUInt32LE(this.length - directoryStart, 12);
    end.writeUInt32LE(directoryStart, 16);
    this.push(end);
    return Buffer.concat(this.chunks);
  }

  private push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
}

function localEntry(part: Part, offset: number): { bytes: Buffer; entry: Written } {
  const method = part.method ?? 8;
  const name = Buffer.from(part.name);
  const data = method === 8 ? deflateRawSync(part.data, { level: 9 }) : Buffer.from(part.data);
  const crc = crc32(part.data);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x800, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(part.data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return {
    bytes: Buffer.concat([header, name, data]),
    entry: {
      name,
      method,
      crc,
      compressedSize: data.length,
      declaredSize: part.declaredSize ?? part.data.length,
      offset,
    },
  };
}

/** The parts of a real workbook, in its order, to re-lay with ZipCraft. */
export function partsOf(workbook: Buffer): Part[] {
  return Object.entries(unzipSync(workbook)).map(([name, data]) => ({ name, data }));
}

/**
 * The bypass of issue #20: a valid workbook whose zip starts with an entry the central directory
 * does not list. A reader of local headers inflates it (`inflatedMb` of zeros, about 1/1000 of
 * that on the wire); a reader of the directory never sees it.
 */
export async function unlistedEntryBomb(inflatedMb = 200): Promise<Buffer> {
  const zip = new ZipCraft();
  zip.add({ name: 'xl/media/image1.png', data: new Uint8Array(inflatedMb * MB) }, { unlisted: true });
  for (const part of partsOf(await contactWorkbook())) zip.add(part);
  return zip.finish();
}

/**
 * A workbook with an unlisted entry between two listed ones that is a second sheet1.xml: a reader
 * of local headers would take its rows.
 */
export async function unlistedSheet(): Promise<Buffer> {
  const zip = new ZipCraft();
  const parts = partsOf(await contactWorkbook());
  const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
  const forged = Buffer.from(sheet.data).toString('utf8').replace('Ayşe Yılmaz', 'Sahte Kişi');
  zip.add(parts[0]!);
  zip.add({ name: sheet.name, data: Buffer.from(forged) }, { unlisted: true });
  for (const part of parts.slice(1)) zip.add(part);
  return zip.finish();
}

/**
 * Overlapping entries: a stored entry whose data holds a second entry's local header and data, and
 * a directory that lists both (the non-recursive zip bomb reuses bytes this way).
 */
export async function overlappingEntries(): Promise<Buffer> {
  const zip = new ZipCraft();
  for (const part of partsOf(await contactWorkbook())) zip.add(part);
  // Noise, so that neither entry trips a compression-ratio limit.
  const inner: Part = { name: 'xl/media/inner.bin', data: noise(64 * 1024) };
  const innerZip = new ZipCraft();
  innerZip.add(inner);
  const innerBytes = innerZip.finish();
  const innerLocal = innerBytes.subarray(0, innerBytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
  const outer = 'xl/media/outer.bin';
  const outerAt = zip.add({ name: outer, data: innerLocal, method: 0 });
  zip.listAt(inner, outerAt + 30 + outer.length);
  return zip.finish();
}

/** A listed entry whose directory record declares far fewer bytes than it inflates to. */
export async function entryLargerThanDeclared(inflatedMb = 2): Promise<Buffer> {
  const zip = new ZipCraft();
  for (const part of partsOf(await contactWorkbook())) zip.add(part);
  zip.add({ name: 'xl/media/image1.png', data: noise(inflatedMb * MB), declaredSize: 1000 });
  return zip.finish();
}

/** A workbook with one cell of `length` characters. */
export function longCellWorkbook(length = 1_000_000): Promise<Buffer> {
  return contactWorkbook([...defaultRows(), ['Uzun', 'x'.repeat(length)]]);
}

/** One header line, then `mb` megabytes of newlines. */
export function newlineCsv(mb = 5, header = 'Ad,Telefon\n'): Buffer {
  return Buffer.concat([Buffer.from(header), Buffer.alloc(mb * MB, '\n')]);
}

/** A header, then records whose cells are all empty. */
export function blankRecordsCsv(mb = 19): Buffer {
  return Buffer.concat([Buffer.from('Ad,Telefon\n'), Buffer.alloc(mb * MB, ',\n')]);
}

/** A header, then one quoted cell `mb` megabytes long. */
export function longCellCsv(mb = 19): Buffer {
  return Buffer.concat([Buffer.from('Ad,Telefon\n"'), Buffer.alloc(mb * MB, 'a'), Buffer.from('",1\n')]);
}

/** Bytes that deflate poorly, so a test stays within every ratio limit. */
function noise(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let seed = 1;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = 97 + (seed % 26);
  }
  return bytes;
}
