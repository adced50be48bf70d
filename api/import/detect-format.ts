import { ImportError } from './errors';

export type FileFormat = 'xlsx' | 'csv';

const EXTENSIONS: Record<string, FileFormat> = {
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
};

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

// Binary formats people upload by mistake; naming them makes the error actionable.
const SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: 'gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { name: 'Office 97-2003 document', bytes: CFB },
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];

/**
 * Decides the format from the bytes and insists that the name agrees: a renamed file is almost
 * always the wrong file, and reading a PNG "as CSV" would produce a report full of garbage rows.
 */
export function detectFormat(file: Buffer, filename: string): FileFormat {
  const extension = /\.([^.]+)$/.exec(filename.trim())?.[1]?.toLowerCase() ?? '';
  const claimed = EXTENSIONS[extension];
  if (startsWith(file, CFB)) {
    // Password-protected .xlsx files are OLE containers holding the encrypted package.
    if (claimed === 'xlsx' || containsUtf16(file, 'EncryptionInfo')) {
      throw new ImportError('ENCRYPTED_WORKBOOK', 'The workbook is password-protected; remove the password');
    }
    if (extension === 'xls') {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        'Excel 97-2003 files (.xls) are not supported; save as .xlsx',
      );
    }
  }
  if (!claimed) {
    throw new ImportError('UNSUPPORTED_FORMAT', `Unsupported file type "${filename}"; upload .xlsx or .csv`, {
      filename,
    });
  }
  if (file.length === 0) throw new ImportError('EMPTY_SHEET', 'The file is empty');

  if (startsWith(file, ZIP) || startsWith(file, EMPTY_ZIP)) {
    if (claimed === 'xlsx') return 'xlsx';
    throw mismatch(filename, 'a zip archive (an .xlsx workbook?)');
  }
  const binary = SIGNATURES.find((s) => startsWith(file, s.bytes));
  if (binary) throw mismatch(filename, `a ${binary.name}`);
  if (looksBinary(file)) throw mismatch(filename, 'binary data');
  if (claimed === 'xlsx') throw mismatch(filename, 'text (a CSV file?)');
  return 'csv';
}

function mismatch(filename: string, actual: string): ImportError {
  return new ImportError('FORMAT_MISMATCH', `"${filename}" is ${actual}, not what its name says`, {
    filename,
  });
}

function startsWith(file: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => file[i] === b);
}

function containsUtf16(file: Buffer, text: string): boolean {
  return file.subarray(0, 64 * 1024).includes(Buffer.from(text, 'utf16le'));
}

/** NUL bytes never occur in 8-bit or UTF-8 text; UTF-16 text (with its BOM) is the exception. */
function looksBinary(file: Buffer): boolean {
  if ((file[0] === 0xff && file[1] === 0xfe) || (file[0] === 0xfe && file[1] === 0xff)) return false;
  return file.subarray(0, 8192).includes(0);
}
