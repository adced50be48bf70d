import { createInflateRaw } from 'node:zlib';
import { ImportError } from './errors';
import type { ImportLimits } from './limits';

export interface XlsxInspection {
  /** Sheet names in tab order, read from xl/workbook.xml. */
  sheetNames: string[];
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_ENTRIES = 10_000;
// Ratios of tiny entries say nothing (a 200-byte rels file may compress 20:1 or 1:1).
const RATIO_FLOOR_BYTES = 1024 * 1024;
const INFLATE_CHUNK_BYTES = 1024 * 1024;

/**
 * Vets an xlsx before exceljs sees it. exceljs streams the local headers and inflates until each
 * deflate stream ends, so neither the declared sizes nor its XML parser protect us: we read the
 * central directory, refuse absurd declared sizes and ratios, then inflate every entry ourselves
 * with a hard output cap (a lying header cannot get past it) and look for DTDs in the XML.
 */
export async function inspectXlsx(file: Buffer, limits: ImportLimits): Promise<XlsxInspection> {
  const entries = readCentralDirectory(file);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    if (entries.some((e) => e.name === 'xl/workbook.bin')) {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        'Binary workbooks (.xlsb) are not supported; save as .xlsx',
      );
    }
    throw new ImportError('FORMAT_MISMATCH', 'The file is a zip archive but not an Excel workbook (.xlsx)');
  }

  let declaredTotal = 0;
  for (const entry of entries) {
    if ((entry.flags & 1) !== 0) {
      throw new ImportError('ENCRYPTED_WORKBOOK', 'The workbook is password-protected; remove the password');
    }
    declaredTotal += entry.declaredSize;
    checkRatio(entry.name, entry.declaredSize, entry.compressedSize, limits);
  }
  if (declaredTotal > limits.maxUncompressedBytes) {
    throw zipBomb(`declares ${declaredTotal} uncompressed bytes`, limits);
  }

  let actualTotal = 0;
  let workbookXml = '';
  for (const entry of entries) {
    const markup = /\.(xml|rels|vml)$/i.test(entry.name) ? new DtdScanner(entry.name) : undefined;
    const keep: Buffer[] = [];
    const size = await inflateEntry(
      file,
      entry,
      limits,
      limits.maxUncompressedBytes - actualTotal,
      (chunk) => {
        markup?.scan(chunk);
        if (entry.name === 'xl/workbook.xml') keep.push(chunk);
      },
    );
    actualTotal += size;
    checkRatio(entry.name, size, entry.compressedSize, limits);
    if (entry.name === 'xl/workbook.xml') workbookXml = Buffer.concat(keep).toString('utf8');
  }
  return { sheetNames: readSheetNames(workbookXml) };
}

const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'].map((marker) => Buffer.from(marker));
const LONGEST_MARKER = Math.max(...DTD_MARKERS.map((marker) => marker.length));

/** Looks for DTD markers in an entry read chunk by chunk, including markers split across chunks. */
class DtdScanner {
  private carry = Buffer.alloc(0);
  constructor(private readonly entry: string) {}

  scan(chunk: Buffer): void {
    const seam = Buffer.concat([this.carry, chunk.subarray(0, LONGEST_MARKER - 1)]);
    if (DTD_MARKERS.some((marker) => chunk.includes(marker) || seam.includes(marker))) {
      // saxes would reject most of these, but refusing up front leaves no room for entity expansion.
      throw new ImportError(
        'XML_ENTITIES_FORBIDDEN',
        `The workbook part ${this.entry} declares a DTD or entities`,
        { entry: this.entry },
      );
    }
    // A copy, so the carry does not pin a whole chunk.
    this.carry = Buffer.from(
      (chunk.length < LONGEST_MARKER - 1 ? seam : chunk).subarray(-(LONGEST_MARKER - 1)),
    );
  }
}

function readCentralDirectory(file: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(file);
  if (eocd < 0) throw corrupt('the zip end record is missing (truncated upload?)');
  const count = file.readUInt16LE(eocd + 10);
  const size = file.readUInt32LE(eocd + 12);
  const offset = file.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw corrupt('zip64 archives are not expected for a workbook');
  if (count > MAX_ENTRIES) throw new ImportError('ZIP_BOMB', `The workbook has ${count} zip entries`);
  if (offset + size > eocd) throw corrupt('the zip central directory points past the end of the file');

  const entries: ZipEntry[] = [];
  let pos = offset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > file.length || file.readUInt32LE(pos) !== CENTRAL_SIGNATURE) {
      throw corrupt('a zip central directory entry is damaged');
    }
    const nameLength = file.readUInt16LE(pos + 28);
    const entry: ZipEntry = {
      flags: file.readUInt16LE(pos + 8),
      method: file.readUInt16LE(pos + 10),
      compressedSize: file.readUInt32LE(pos + 20),
      declaredSize: file.readUInt32LE(pos + 24),
      localHeaderOffset: file.readUInt32LE(pos + 42),
      name: file.toString('utf8', pos + 46, pos + 46 + nameLength),
    };
    entries.push(entry);
    pos += 46 + nameLength + file.readUInt16LE(pos + 30) + file.readUInt16LE(pos + 32);
  }
  return entries;
}

function findEndOfCentralDirectory(file: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes.
  const stop = Math.max(0, file.length - 22 - 0xffff);
  for (let pos = file.length - 22; pos >= stop; pos--) {
    if (file.readUInt32LE(pos) === EOCD_SIGNATURE) return pos;
  }
  return -1;
}

/**
 * Streams an entry through `onChunk` and returns its inflated size. Nothing is kept unless the
 * caller keeps it: the sheet of a large upload is tens of megabytes, which only exceljs needs.
 */
async function inflateEntry(
  file: Buffer,
  entry: ZipEntry,
  limits: ImportLimits,
  budget: number,
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  const local = entry.localHeaderOffset;
  if (local + 30 > file.length || file.readUInt32LE(local) !== LOCAL_SIGNATURE) {
    throw corrupt(`the zip entry ${entry.name} is damaged`);
  }
  const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
  const end = start + entry.compressedSize;
  if (end > file.length) throw corrupt(`the zip entry ${entry.name} is cut short (truncated upload?)`);
  const raw = file.subarray(start, end);
  if (entry.method === 0) {
    onChunk(raw);
    return raw.length;
  }
  if (entry.method !== 8)
    throw corrupt(`the zip entry ${entry.name} uses compression method ${entry.method}`);

  const cap = Math.min(budget, Math.max(entry.compressedSize, 1) * limits.maxCompressionRatio);
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
  let size = 0;
  try {
    inflater.end(raw);
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > Math.max(1, cap)) throw zipBomb(`entry ${entry.name} inflates past ${cap} bytes`, limits);
      onChunk(chunk);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw corrupt(`the zip entry ${entry.name} cannot be decompressed`, error);
  } finally {
    inflater.destroy();
  }
  return size;
}

function checkRatio(name: string, size: number, compressed: number, limits: ImportLimits): void {
  if (size > RATIO_FLOOR_BYTES && size / Math.max(compressed, 1) > limits.maxCompressionRatio) {
    throw zipBomb(`entry ${name} expands ${Math.round(size / Math.max(compressed, 1))}:1`, limits);
  }
}

function readSheetNames(workbookXml: string): string[] {
  const names: string[] = [];
  for (const match of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g)) {
    names.push(decodeXmlText(match[1] ?? ''));
  }
  return names;
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

function zipBomb(why: string, limits: ImportLimits): ImportError {
  return new ImportError('ZIP_BOMB', `The workbook expands too much when decompressed (${why})`, {
    maxUncompressedBytes: limits.maxUncompressedBytes,
    maxCompressionRatio: limits.maxCompressionRatio,
  });
}

function corrupt(why: string, cause?: unknown): ImportError {
  return new ImportError('CORRUPT_FILE', `The workbook is damaged: ${why}`, {}, { cause });
}
