import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { detectFormat, ImportError, importContacts } from '../../../api/import';
import { csv, noDnc, xlsx } from './fixtures';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const CFB = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ImportError ? error.code : `not an ImportError: ${String(error)}`;
  }
  return undefined;
}

describe('detectFormat', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('goes by the bytes and accepts a file that is what its name says', async () => {
    expect(detectFormat(await xlsx([{ rows: [['Telefon']] }]), 'liste.XLSX')).toBe('xlsx');
    expect(detectFormat(csv(['Telefon', '05321234567']), 'liste.csv')).toBe('csv');
    expect(detectFormat(csv(['Telefon\t Ad']), 'liste.tsv')).toBe('csv');
  });

  it('rejects a PNG or a CSV named .xlsx, and a workbook named .csv', async () => {
    expect(codeOf(() => detectFormat(PNG, 'liste.xlsx'))).toBe('FORMAT_MISMATCH');
    expect(codeOf(() => detectFormat(csv(['Telefon', '05321234567']), 'liste.xlsx'))).toBe('FORMAT_MISMATCH');
    const workbook = await xlsx([{ rows: [['Telefon']] }]);
    expect(codeOf(() => detectFormat(workbook, 'liste.csv'))).toBe('FORMAT_MISMATCH');
    expect(codeOf(() => detectFormat(PNG, 'liste.csv'))).toBe('FORMAT_MISMATCH');
    expect(codeOf(() => detectFormat(Buffer.from([1, 2, 0, 4]), 'liste.csv'))).toBe('FORMAT_MISMATCH');
  });

  it('names an encrypted workbook (an OLE container) as such', () => {
    expect(codeOf(() => detectFormat(CFB, 'maaslar.xlsx'))).toBe('ENCRYPTED_WORKBOOK');
    const encryptedXls = Buffer.concat([CFB, Buffer.from('EncryptionInfo', 'utf16le')]);
    expect(codeOf(() => detectFormat(encryptedXls, 'eski.xls'))).toBe('ENCRYPTED_WORKBOOK');
  });

  it('refuses legacy .xls and unknown extensions as unsupported', () => {
    expect(codeOf(() => detectFormat(CFB, 'eski.xls'))).toBe('UNSUPPORTED_FORMAT');
    expect(codeOf(() => detectFormat(PNG, 'resim.png'))).toBe('UNSUPPORTED_FORMAT');
    expect(codeOf(() => detectFormat(csv(['a']), 'liste'))).toBe('UNSUPPORTED_FORMAT');
  });

  it('suggests an HTTP status with each code', async () => {
    const error = await importContacts({
      file: CFB,
      filename: 'x.xlsx',
      defaultCountry: 'TR',
      requiredVariables: [],
      isOnDnc: noDnc,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'ENCRYPTED_WORKBOOK', status: 400 });
    expect((error as Error).message).toMatch(/password/);
  });
});
