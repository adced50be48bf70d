import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { ImportError, parseContactFile } from '../../../api/import';
import { xlsx } from './fixtures';

async function parse(file: Buffer, sheet?: string) {
  return parseContactFile({ file, filename: 'liste.xlsx', sheet });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined || error instanceof ImportError) return error?.code;
  throw new Error('expected an ImportError', { cause: error });
}

describe('reading xlsx', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('reads cells as the text a person sees: phone numbers as digits, dates as ISO text', async () => {
    const file = await xlsx([
      {
        rows: [
          ['Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme', 'Randevu Saati', 'Onay'],
          [
            'Ayşe',
            5321234567,
            1234.5,
            new Date(Date.UTC(2024, 0, 15)),
            new Date(Date.UTC(1899, 11, 30, 14, 30)),
            true,
          ],
          ['Can', 905321234568, 0.1 + 0.2, new Date(Date.UTC(2024, 1, 29, 9, 5)), null, false],
        ],
        configure: (ws) => {
          ws.getColumn(4).numFmt = 'dd.mm.yyyy';
          ws.getColumn(5).numFmt = 'hh:mm';
        },
      },
    ]);
    const sheet = await parse(file);
    expect(sheet.headers).toEqual(['Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme', 'Randevu Saati', 'Onay']);
    expect(sheet.rows).toEqual([
      ['Ayşe', '5321234567', '1234.5', '2024-01-15', '14:30', 'TRUE'],
      ['Can', '905321234568', '0.3', '2024-02-29T09:05', '', 'FALSE'],
    ]);
  });

  it('takes cached formula results, never evaluates, and keeps injection-looking text as data', async () => {
    const file = await xlsx([
      {
        rows: [
          ['Ad', 'Telefon', 'Link', 'Hesap', 'Not'],
          [
            'Ayşe',
            { formula: 'HYPERLINK("https://example.com/odeme","Öde")', result: 'Öde' },
            { formula: 'HYPERLINK("https://example.com","tıkla")', result: 'tıkla' },
            { formula: '1+1', result: 2 },
            "=cmd|' /C calc'!A0",
          ],
          [
            'Can',
            '05321234568',
            { text: 'site', hyperlink: 'https://example.com' },
            { formula: '1+1' },
            '@SUM(1+1)',
          ],
        ],
      },
    ]);
    const sheet = await parse(file);
    expect(sheet.rows).toEqual([
      ['Ayşe', 'Öde', 'tıkla', '2', "=cmd|' /C calc'!A0"],
      ['Can', '05321234568', 'site', '', '@SUM(1+1)'],
    ]);
  });

  it('reads rich text and hidden columns as ordinary data', async () => {
    const file = await xlsx([
      {
        rows: [
          ['Ad', 'Telefon', 'Gizli'],
          [{ richText: [{ text: 'Ay' }, { font: { bold: true }, text: 'şe' }] }, '05321234567', 'saklı'],
        ],
        configure: (ws) => {
          ws.getColumn(3).hidden = true;
        },
      },
    ]);
    expect((await parse(file)).rows).toEqual([['Ayşe', '05321234567', 'saklı']]);
  });

  it('finds a header under a title and blank rows and keeps spreadsheet row numbers', async () => {
    const file = await xlsx([
      {
        rows: [
          ['Ocak 2024 Borç Listesi'],
          [],
          ['', 'Müşteri', 'GSM'],
          ['', 'Ayşe', '05321234567'],
          [],
          ['', 'Can', '05321234568'],
        ],
        startRow: 2,
      },
    ]);
    const sheet = await parse(file);
    expect(sheet.headerRow).toBe(4);
    expect(sheet.headers).toEqual(['Column A', 'Müşteri', 'GSM']);
    expect(sheet.rowNumbers).toEqual([5, 7]);
    expect(sheet.rows).toEqual([
      ['', 'Ayşe', '05321234567'],
      ['', 'Can', '05321234568'],
    ]);
  });

  it('names blank and repeated headers so every column can be mapped', async () => {
    const file = await xlsx([
      {
        rows: [
          ['Telefon', '', 'Telefon', 'Ad'],
          ['05321234567', 'x', '02125551212', 'Ayşe'],
        ],
      },
    ]);
    expect((await parse(file)).headers).toEqual(['Telefon', 'Column B', 'Telefon (2)', 'Ad']);
  });

  it('reads the first tab by default, or the named sheet', async () => {
    const file = await xlsx([
      {
        name: 'Özet',
        rows: [
          ['Toplam', 'Adet'],
          ['a', 'b'],
        ],
      },
      {
        name: 'Müşteriler',
        rows: [
          ['Ad', 'Telefon'],
          ['Ayşe', '05321234567'],
        ],
      },
    ]);
    expect((await parse(file)).sheetName).toBe('Özet');
    const named = await parse(file, 'müşteriler');
    expect(named.sheetName).toBe('Müşteriler');
    expect(named.rows).toEqual([['Ayşe', '05321234567']]);
    expect(await codeOf(parse(file, 'Sayfa9'))).toBe('SHEET_NOT_FOUND');
  });

  it('refuses an empty sheet, a header without rows, and data without a header', async () => {
    expect(await codeOf(parse(await xlsx([{ rows: [] }])))).toBe('EMPTY_SHEET');
    expect(await codeOf(parse(await xlsx([{ rows: [['Ad', 'Telefon']] }])))).toBe('EMPTY_SHEET');
    const headerless = await xlsx([
      {
        rows: [
          ['Ayşe', 5321234567, 100],
          ['Can', 5321234568, 200],
        ],
      },
    ]);
    expect(await codeOf(parse(headerless))).toBe('NO_HEADER_ROW');
  });
});
