import { createInflateRaw } from 'node:zlib';
import { ImportError } from './errors';
import type { ImportLimits } from './limits';

/** One entry as the central directory lists it, with where its data lies. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** The uncompressed size the directory declares; inflating yields exactly this or is refused. */
  size: number;
  dataStart: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const MAX_ENTRIES = 10_000;
// Ratios of tiny entries say nothing (a 200-byte rels file may compress 20:1 or 1:1).
const RATIO_FLOOR_BYTES = 1024 * 1024;
// Small chunks keep each batch of XML events exceljs makes short-lived: 1 MiB chunks made a 100k-row
// sheet read two to three times slower, its events outliving the young generation.
const INFLATE_CHUNK_BYTES = 16 * 1024;

/**
 * An xlsx read through its central directory only, the one zip reader of the import. exceljs on its
 * own streams the local headers from the top of the file, so an entry the directory does not list
 * would reach it unchecked; here every byte of the file must belong to exactly one listed entry,
 * every declared size is checked before anything is inflated, and inflating an entry yields its
 * declared size or is refused: what was checked is what the workbook reader gets.
 */
export class CheckedZip {
  private constructor(
    private readonly file: Buffer,
    readonly entries: readonly ZipEntry[],
  ) {}

  static open(file: Buffer, limits: ImportLimits): CheckedZip {
    const { entries, directoryStart } = readCentralDirectory(file);
    checkLayout(file, entries, directoryStart);
    let declaredTotal = 0;
    for (const { entry } of entries) {
      if (entry.size > limits.maxEntryUncompressedBytes) {
        throw zipBomb(`entry ${entry.name} declares ${entry.size} uncompressed bytes`, limits);
      }
      checkRatio(entry.name, entry.size, entry.compressedSize, limits);
      declaredTotal += entry.size;
    }
    if (declaredTotal > limits.maxUncompressedBytes) {
      throw zipBomb(`declares ${declaredTotal} uncompressed bytes`, limits);
    }
    return new CheckedZip(
      file,
      entries.map((e) => e.entry),
    );
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /**
   * The entry's bytes, inflated chunk by chunk and never past its declared size; XML parts are
   * refused if they declare a DTD. Nothing is kept: the sheet of a large upload is tens of megabytes.
   */
  async *chunks(entry: ZipEntry): AsyncGenerator<Buffer> {
    const raw = this.file.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    const markup = /\.(xml|rels|vml)$/i.test(entry.name) ? new DtdScanner(entry.name) : undefined;
    if (entry.method === 0) {
      markup?.scan(raw);
      yield raw;
      return;
    }
    const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
    let size = 0;
    try {
      inflater.end(raw);
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > entry.size) {
          throw new ImportError(
            'ZIP_BOMB',
            `The workbook expands too much when decompressed (entry ${entry.name} inflates past the ${entry.size} bytes it declares)`,
            { entry: entry.name },
          );
        }
        markup?.scan(chunk);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof ImportError) throw error;
      throw corrupt(`the zip entry ${entry.name} cannot be decompressed`, error);
    } finally {
      inflater.destroy();
    }
    if (size !== entry.size) throw corrupt(`the zip entry ${entry.name} is shorter than it declares`);
  }

  /** Inflates an entry nobody reads, for its checks alone. */
  async check(entry: ZipEntry): Promise<void> {
    for await (const _chunk of this.chunks(entry)) {
      // counted and scanned by chunks()
    }
  }

  async text(entry: ZipEntry): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(entry)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }
}

interface ListedEntry {
  entry: ZipEntry;
  flags: number;
  localHeaderOffset: number;
}

function readCentralDirectory(file: Buffer): { entries: ListedEntry[]; directoryStart: number } {
  const eocd = findEndOfCentralDirectory(file);
  if (eocd < 0) throw corrupt('the zip end record is missing (truncated upload?)');
  const count = file.readUInt16LE(eocd + 10);
  const size = file.readUInt32LE(eocd + 12);
  const offset = file.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw corrupt('zip64 archives are not expected for a workbook');
  if (count > MAX_ENTRIES)
    throw new ImportError('ZIP_BOMB', `The workbook has ${count} zip entries`, { maxEntries: MAX_ENTRIES });
  if (offset + size !== eocd) throw corrupt('the zip central directory does not end where the end record is');

  const entries: ListedEntry[] = [];
  const names = new Set<string>();
  let pos = offset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > eocd || file.readUInt32LE(pos) !== CENTRAL_SIGNATURE) {
      throw corrupt('a zip central directory entry is damaged');
    }
    const nameLength = file.readUInt16LE(pos + 28);
    const name = file.toString('utf8', pos + 46, pos + 46 + nameLength);
    // Two parts of one name would leave it to the reader which one counts.
    if (names.has(name)) throw corrupt(`the zip lists ${name} twice`);
    names.add(name);
    const flags = file.readUInt16LE(pos + 8);
    if ((flags & 1) !== 0) {
      throw new ImportError('ENCRYPTED_WORKBOOK', 'The workbook is password-protected; remove the password');
    }
    const method = file.readUInt16LE(pos + 10);
    if (method !== 0 && method !== 8)
      throw corrupt(`the zip entry ${name} uses compression method ${method}`);
    const compressedSize = file.readUInt32LE(pos + 20);
    const declared = file.readUInt32LE(pos + 24);
    if (method === 0 && declared !== compressedSize)
      throw corrupt(`the stored zip entry ${name} has two sizes`);
    entries.push({
      entry: { name, method, compressedSize, size: declared, dataStart: 0 },
      flags,
      localHeaderOffset: file.readUInt32LE(pos + 42),
    });
    pos += 46 + nameLength + file.readUInt16LE(pos + 30) + file.readUInt16LE(pos + 32);
  }
  if (pos !== eocd) throw corrupt('the zip central directory holds more than its entries');
  return { entries, directoryStart: offset };
}

/**
 * Every byte before the central directory must belong to exactly one listed entry: its local header,
 * its data and, when flagged, its data descriptor. Bytes that belong to none can hide an unlisted
 * entry (which a local-header reader would inflate); bytes that belong to two are the overlapping
 * entries of the classic non-recursive zip bomb.
 */
function checkLayout(file: Buffer, listed: ListedEntry[], directoryStart: number): void {
  const spans = listed.map((item) => {
    const { entry, localHeaderOffset: local } = item;
    if (local + 30 > directoryStart || file.readUInt32LE(local) !== LOCAL_SIGNATURE) {
      throw corrupt(`the zip entry ${entry.name} is damaged`);
    }
    const nameLength = file.readUInt16LE(local + 26);
    const localName = file.toString('utf8', local + 30, local + 30 + nameLength);
    if (localName !== entry.name)
      throw corrupt(`the zip entry ${entry.name} is named ${localName} in its header`);
    entry.dataStart = local + 30 + nameLength + file.readUInt16LE(local + 28);
    const dataEnd = entry.dataStart + entry.compressedSize;
    if (dataEnd > directoryStart)
      throw corrupt(`the zip entry ${entry.name} is cut short (truncated upload?)`);
    const descriptor =
      (item.flags & 8) === 0 ? 0 : file.readUInt32LE(dataEnd) === DESCRIPTOR_SIGNATURE ? 16 : 12;
    return { name: entry.name, start: local, end: dataEnd + descriptor };
  });
  spans.sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const span of spans) {
    if (span.start < covered) {
      throw new ImportError('ZIP_BOMB', `The workbook's zip entries overlap (${span.name})`, {
        entry: span.name,
      });
    }
    if (span.start > covered) throw unlisted(covered);
    covered = span.end;
  }
  if (covered !== directoryStart) throw unlisted(covered);
}

function findEndOfCentralDirectory(file: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes.
  const stop = Math.max(0, file.length - 22 - 0xffff);
  for (let pos = file.length - 22; pos >= stop; pos--) {
    if (file.readUInt32LE(pos) === EOCD_SIGNATURE) return pos;
  }
  return -1;
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

function checkRatio(name: string, size: number, compressed: number, limits: ImportLimits): void {
  if (size > RATIO_FLOOR_BYTES && size / Math.max(compressed, 1) > limits.maxCompressionRatio) {
    throw zipBomb(`entry ${name} expands ${Math.round(size / Math.max(compressed, 1))}:1`, limits);
  }
}

function zipBomb(why: string, limits: ImportLimits): ImportError {
  return new ImportError('ZIP_BOMB', `The workbook expands too much when decompressed (${why})`, {
    maxUncompressedBytes: limits.maxUncompressedBytes,
    maxEntryUncompressedBytes: limits.maxEntryUncompressedBytes,
    maxCompressionRatio: limits.maxCompressionRatio,
  });
}

function unlisted(offset: number): ImportError {
  return corrupt(`the zip holds data at byte ${offset} that its directory does not list`);
}

export function corrupt(why: string, cause?: unknown): ImportError {
  return new ImportError('CORRUPT_FILE', `The workbook is damaged: ${why}`, {}, { cause });
}
