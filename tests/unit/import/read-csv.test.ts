import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { ImportError, parseContactFile, type TextEncoding } from '../../../api/import';
import { sniffDelimiter } from '../../../api/import/read-csv';
import { blankRecordsCsv, longCellCsv, newlineCsv } from '../../support/hostile-files';
import { csv } from './fixtures';

const parse = (file: Buffer, encoding?: TextEncoding) =>
  parseContactFile({ file, filename: 'liste.csv', encoding });

describe('reading CSV', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('reads UTF-8 with a BOM without leaking the BOM into the first header', async () => {
    const sheet = await parse(csv(['Telefon,Ad Soyad', '05321234567,Ayşe Çelik'], { bom: true }));
    expect(sheet.encoding).toBe('utf-8');
    expect(sheet.headers).toEqual(['Telefon', 'Ad Soyad']);
    expect(sheet.rows).toEqual([['05321234567', 'Ayşe Çelik']]);
  });

  it('detects Windows-1254 (Turkish Excel) when the bytes are not UTF-8', async () => {
    const file = csv(
      [
        'Müşteri Adı;Cep Telefonu;Şehir',
        'İsmail Işık;0532 123 45 67;Muğla',
        'Gülşen Ödemiş;05321234568;Çanakkale',
      ],
      {
        encoding: 'windows-1254',
      },
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow();
    const sheet = await parse(file);
    expect(sheet.encoding).toBe('windows-1254');
    expect(sheet.delimiter).toBe(';');
    expect(sheet.headers).toEqual(['Müşteri Adı', 'Cep Telefonu', 'Şehir']);
    expect(sheet.rows[0]).toEqual(['İsmail Işık', '0532 123 45 67', 'Muğla']);
    expect(sheet.rows[1]).toEqual(['Gülşen Ödemiş', '05321234568', 'Çanakkale']);
  });

  it('falls back to Windows-1252 for Western text and honours a declared encoding', async () => {
    const western = await parse(
      csv(['Name,Phone', 'José Müller,+442079460958'], { encoding: 'windows-1252' }),
    );
    expect(western.encoding).toBe('windows-1252');
    expect(western.rows[0]).toEqual(['José Müller', '+442079460958']);
    // Declared beats guessing: these bytes would otherwise read as Western.
    const declared = await parse(
      csv(['Ad,Telefon', 'Çağla,05321234567'], { encoding: 'windows-1254' }),
      'windows-1254',
    );
    expect(declared.rows[0]).toEqual(['Çağla', '05321234567']);
  });

  it('reads Excel "Unicode text" (UTF-16LE with BOM, tab-separated)', async () => {
    const body = Buffer.from('Ad\tTelefon\r\nŞule\t05321234567\r\n', 'utf16le');
    const sheet = await parse(Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    expect(sheet).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', headers: ['Ad', 'Telefon'] });
    expect(sheet.rows).toEqual([['Şule', '05321234567']]);
  });

  it('sniffs the delimiter from the lines, not from commas inside amounts or quotes', () => {
    expect(sniffDelimiter('Ad;Tutar;Telefon\nAyşe;1.234,50;0532\nCan;99,90;0533\n')).toBe(';');
    expect(sniffDelimiter('Ad,Tutar,Telefon\n"Yılmaz, Ayşe","1.234,50",0532\n')).toBe(',');
    expect(sniffDelimiter('Ad\tTelefon\nAyşe\t0532\n')).toBe('\t');
    expect(sniffDelimiter('Telefon\n05321234567\n')).toBe(',');
  });

  it('keeps quoted multi-line cells in one row and numbers rows as records', async () => {
    const sheet = await parse(
      csv(['Ad,Telefon,Adres', 'Ayşe,05321234567,"Kat 2', 'Daire 5"', '', 'Can,05321234568,']),
    );
    expect(sheet.rows).toEqual([
      ['Ayşe', '05321234567', 'Kat 2\r\nDaire 5'],
      ['Can', '05321234568', ''],
    ]);
    expect(sheet.rowNumbers).toEqual([2, 4]);
  });

  it('refuses a CSV asked for a sheet', async () => {
    const error = await parseContactFile({
      file: csv(['Telefon', '0532']),
      filename: 'a.csv',
      sheet: 'x',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'SHEET_NOT_FOUND' });
  });

  it('skips megabytes of empty lines quickly and keeps the record numbers', async () => {
    const file = Buffer.concat([
      Buffer.from('Ad,Telefon\nAyşe,05321234567\n'),
      newlineCsv(5, ''),
      Buffer.from('Can,05321234568\n'),
    ]);
    const started = performance.now();
    const sheet = await parse(file);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(sheet.rows).toEqual([
      ['Ayşe', '05321234567'],
      ['Can', '05321234568'],
    ]);
    expect(sheet.rowNumbers).toEqual([2, 3 + 5 * 1024 * 1024]);
  }, 30_000);

  it('stops at the row limit as records come, blank-celled records included', async () => {
    const started = performance.now();
    const error = await parse(blankRecordsCsv(19)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_MANY_ROWS', status: 413 });
    expect(performance.now() - started).toBeLessThan(10_000);
    const few = await parseContactFile({
      file: csv(['Ad,Telefon', 'Ayşe,05321234567', ...Array<string>(50).fill(',')]),
      filename: 'a.csv',
      limits: { maxRows: 10 },
    }).catch((e: unknown) => e);
    expect(few).toMatchObject({ code: 'TOO_MANY_ROWS' });
  }, 30_000);

  it('refuses a cell longer than the cell length limit', async () => {
    expect(await parse(longCellCsv(1)).catch((e: unknown) => e)).toMatchObject({ code: 'CELL_TOO_LONG' });
    expect(await parse(longCellCsv(19)).catch((e: unknown) => e)).toMatchObject({ code: 'CELL_TOO_LONG' });
  }, 30_000);
});
