import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { ImportError, parseContactFile, type ImportLimits } from '../../../api/import';
import {
  contactWorkbook,
  entryLargerThanDeclared,
  longCellWorkbook,
  overlappingEntries,
  partsOf,
  unlistedEntryBomb,
  unlistedSheet,
  ZipCraft,
} from '../../support/hostile-files';
import { rezip, replaceInPart, xlsx } from './fixtures';

async function codeOf(file: Buffer, limits?: Partial<ImportLimits>): Promise<string | undefined> {
  try {
    await parseContactFile({ file, filename: 'liste.xlsx', limits });
  } catch (error) {
    return error instanceof ImportError ? error.code : `not an ImportError: ${String(error)}`;
  }
  return undefined;
}

const contactRows = [
  ['Ad Soyad', 'Telefon'],
  ['Ayşe Yılmaz', '0532 123 45 67'],
];

describe('xlsx zip and XML guards', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('refuses a zip bomb (200 MB of zeros) before exceljs inflates it', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    const bomb = rezip(valid, (parts) => {
      parts['xl/media/padding.bin'] = new Uint8Array(200 * 1024 * 1024);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await codeOf(bomb)).toBe('ZIP_BOMB');
  }, 30_000);

  it('refuses an entry that inflates past its ratio even when its header lies about the size', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    const bomb = rezip(valid, (parts) => {
      parts['xl/media/padding.bin'] = new Uint8Array(20 * 1024 * 1024);
    });
    // Rewrite the declared uncompressed size of the padding entry in the central directory to 1 KB.
    const name = Buffer.from('xl/media/padding.bin');
    let pos = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    while (pos >= 0) {
      const length = bomb.readUInt16LE(pos + 28);
      if (bomb.subarray(pos + 46, pos + 46 + length).equals(name)) bomb.writeUInt32LE(1024, pos + 24);
      pos = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), pos + 4);
    }
    expect(await codeOf(bomb)).toBe('ZIP_BOMB');
  });

  it('refuses an entry the central directory does not list, before any of it is inflated', async () => {
    const bomb = await unlistedEntryBomb(50);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(await codeOf(bomb)).toBe('CORRUPT_FILE');
  }, 30_000);

  it('refuses an unlisted second copy of the sheet between listed entries', async () => {
    expect(await codeOf(await unlistedSheet())).toBe('CORRUPT_FILE');
  });

  it('refuses entries whose bytes overlap', async () => {
    expect(await codeOf(await overlappingEntries())).toBe('ZIP_BOMB');
  });

  it('refuses an entry that inflates past its declared size even within the ratio limit', async () => {
    expect(await codeOf(await entryLargerThanDeclared())).toBe('ZIP_BOMB');
  });

  it('honours the per-entry uncompressed size limit', async () => {
    const valid = await contactWorkbook();
    expect(await codeOf(valid)).toBeUndefined();
    expect(await codeOf(valid, { maxEntryUncompressedBytes: 1000 })).toBe('ZIP_BOMB');
  });

  it('refuses a cell longer than the cell length limit', async () => {
    expect(await codeOf(await longCellWorkbook(40_000))).toBe('CELL_TOO_LONG');
    expect(await codeOf(await longCellWorkbook(100), { maxCellLength: 99 })).toBe('CELL_TOO_LONG');
    expect(await codeOf(await longCellWorkbook(100))).toBeUndefined();
  });

  // The hostile files are laid out by the same writer: what they are refused for is their twist.
  it('reads a workbook laid out by hand the same as the one it came from', async () => {
    const valid = await contactWorkbook();
    const zip = new ZipCraft();
    for (const part of partsOf(valid)) zip.add(part);
    const relaid = zip.finish();
    const original = await parseContactFile({ file: valid, filename: 'liste.xlsx' });
    expect(await parseContactFile({ file: relaid, filename: 'liste.xlsx' })).toEqual(original);
    expect(original.rows).toEqual([
      ['Ayşe Yılmaz', '0532 123 45 67'],
      ['Can Demir', '0533 765 43 21'],
    ]);
  });

  it('honours a lower total uncompressed size limit', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    expect(await codeOf(valid, { maxUncompressedBytes: 2000 })).toBe('ZIP_BOMB');
  });

  it.each(['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'])(
    'refuses DOCTYPE/ENTITY in %s',
    async (part) => {
      const valid = await xlsx([{ rows: contactRows }]);
      const evil = rezip(valid, (parts) => {
        replaceInPart(
          parts,
          part,
          '?>',
          '?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
        );
      });
      expect(await codeOf(evil)).toBe('XML_ENTITIES_FORBIDDEN');
    },
  );

  // The guard inflates parts in 16 KiB chunks, so 1 MiB is a chunk edge; a marker cut in two by one must still be seen.
  it.each([1, 4, 8])('refuses a DOCTYPE that starts %i bytes before a 1 MiB chunk edge', async (before) => {
    const valid = await xlsx([{ rows: contactRows }]);
    const evil = rezip(valid, (parts) => {
      const part = 'xl/worksheets/sheet1.xml';
      const declarationEnd = Buffer.from(parts[part]!).toString('utf8').indexOf('?>') + 2;
      const padding = incompressibleText(1024 * 1024 - before - declarationEnd - '<!---->'.length);
      replaceInPart(parts, part, '?>', `?><!--${padding}--><!DOCTYPE lolz SYSTEM "lolz.dtd">`);
    });
    expect(await codeOf(evil)).toBe('XML_ENTITIES_FORBIDDEN');
  });

  it('reports a truncated upload as a corrupt file', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    expect(await codeOf(valid.subarray(0, Math.floor(valid.length * 0.6)))).toBe('CORRUPT_FILE');
    expect(await codeOf(valid.subarray(0, valid.length - 10))).toBe('CORRUPT_FILE');
  });

  it('reports damaged compressed data as a corrupt file', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    const damaged = Buffer.from(valid);
    const sheetAt = damaged.indexOf('xl/worksheets/sheet1.xml');
    damaged.fill(0xff, sheetAt + 40, sheetAt + 120);
    expect(await codeOf(damaged)).toBe('CORRUPT_FILE');
  });

  it('tells a zip that is not a workbook (a .docx renamed) from a workbook', async () => {
    const docx = Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>') }));
    expect(await codeOf(docx)).toBe('FORMAT_MISMATCH');
  });

  it('refuses a password-protected zip entry', async () => {
    const valid = await xlsx([{ rows: contactRows }]);
    const flagged = Buffer.from(valid);
    const central = flagged.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    flagged.writeUInt16LE(flagged.readUInt16LE(central + 8) | 1, central + 8);
    expect(await codeOf(flagged)).toBe('ENCRYPTED_WORKBOOK');
  });
});

/** Letters that deflate about 1.6:1, far from the guard's ratio limit, unlike a run of one letter. */
function incompressibleText(length: number): string {
  let seed = 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(97 + (seed % 26));
  }
  return text;
}
