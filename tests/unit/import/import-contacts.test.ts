import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { applyMapping, importContacts, parseContactFile, type ParsedSheet } from '../../../api/import';
import { csv, fakeDnc, noDnc, xlsx } from './fixtures';

const base = { defaultCountry: 'TR', requiredVariables: ['amount', 'due_date'] };

async function messyWorkbook(): Promise<Buffer> {
  return xlsx([
    {
      rows: [
        ['Fatura Hatırlatma Listesi'],
        [],
        ['Tarih', 'Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme'],
        [new Date(Date.UTC(2024, 0, 15)), 'Ayşe Yılmaz', '0532 123 45 67', 150, '2024-01-31'],
        [new Date(Date.UTC(2024, 0, 15)), 'Burak Öztürk', '+90 (533) 222-3344', 99.9, '2024-01-31'],
        [new Date(Date.UTC(2024, 0, 16)), 'Cem Şahin', 5341112233, 200, '2024-02-01'],
        [new Date(Date.UTC(2024, 0, 16)), 'Deniz Işık', '90 535 444 55 66', 10, '2024-02-01'],
        [new Date(Date.UTC(2024, 0, 17)), 'Elif Güneş', '0090 536 777 88 99', 75, '2024-02-02'],
        [new Date(Date.UTC(2024, 0, 17)), 'Ayşe Y. (tekrar)', '05321234567', 150, '2024-01-31'],
        [new Date(Date.UTC(2024, 0, 18)), 'Fikret', '123', 10, '2024-02-03'],
        [new Date(Date.UTC(2024, 0, 18)), 'Gül', null, 10, '2024-02-03'],
        [new Date(Date.UTC(2024, 0, 18)), 'Hakan', '0537 000 11 22', null, '2024-02-03'],
        [new Date(Date.UTC(2024, 0, 19)), 'İpek DNC', '0538 999 00 11', 40, '2024-02-04'],
      ],
      startRow: 1,
    },
  ]);
}

describe('importContacts', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('turns a messy workbook into contacts and a report with spreadsheet row numbers', async () => {
    const isOnDnc = fakeDnc(['+905389990011']);
    const result = await importContacts({
      ...base,
      file: await messyWorkbook(),
      filename: 'Ocak.xlsx',
      isOnDnc,
    });

    expect(result.headers).toEqual(['Tarih', 'Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme']);
    expect(result.mapping).toMatchObject({ phone: 'Telefon', name: 'Ad Soyad', proposed: true });
    expect(result.contacts.map((c) => [c.row, c.phone, c.rawPhone])).toEqual([
      [4, '+905321234567', '0532 123 45 67'],
      [5, '+905332223344', '+90 (533) 222-3344'],
      [6, '+905341112233', '5341112233'],
      [7, '+905354445566', '90 535 444 55 66'],
      [8, '+905367778899', '0090 536 777 88 99'],
    ]);
    expect(result.contacts[0]).toMatchObject({
      name: 'Ayşe Yılmaz',
      variables: { tarih: '2024-01-15', amount: '150', due_date: '2024-01-31' },
    });
    expect(result.report).toEqual({
      total: 10,
      valid: 5,
      invalid: 3,
      duplicates: 1,
      dnc: 1,
      errorsOmitted: 0,
      errors: [
        {
          row: 9,
          column: 'Telefon',
          code: 'DUPLICATE_PHONE',
          message: 'The same number as row 4',
          value: '05321234567',
        },
        {
          row: 10,
          column: 'Telefon',
          code: 'INVALID_PHONE',
          message: expect.stringContaining('TR'),
          value: '123',
        },
        { row: 11, column: 'Telefon', code: 'MISSING_PHONE', message: expect.any(String), value: '' },
        {
          row: 12,
          column: 'amount',
          code: 'MISSING_VARIABLE',
          message: expect.stringContaining('amount'),
          value: '',
        },
        {
          row: 13,
          column: 'Telefon',
          code: 'ON_DNC_LIST',
          message: expect.any(String),
          value: '0538 999 00 11',
        },
      ],
    });
    expect(result.sample).toEqual(result.contacts);
  });

  it('asks the DNC list in batches, only for numbers that would be called', async () => {
    const rows = ['Ad;Telefon;Tutar;Son Ödeme'];
    for (let i = 0; i < 2500; i++)
      rows.push(`Kişi ${i};0532 ${String(10_000_000 + i).slice(1)};10;2024-01-31`);
    rows.push('Tekrar;0532 000 00 00;10;2024-01-31', 'Bozuk;12;10;2024-01-31');
    const listed = ['+905320000000', '+905320001999', '+905320002499'];
    const isOnDnc = fakeDnc(listed);
    const result = await importContacts({
      ...base,
      file: csv(rows),
      filename: 'l.csv',
      isOnDnc,
      limits: { maxReportedErrors: 2 },
    });

    expect(isOnDnc.calls.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(new Set(isOnDnc.calls.flat()).size).toBe(2500);
    expect(result.report).toMatchObject({
      total: 2502,
      valid: 2497,
      invalid: 1,
      duplicates: 1,
      dnc: 3,
      errorsOmitted: 3,
    });
    expect(result.report.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ON_DNC_LIST'],
      [2001, 'ON_DNC_LIST'],
    ]);
    expect(result.contacts.some((c) => listed.includes(c.phone))).toBe(false);
    expect(result.sample).toHaveLength(10);
  });

  it('lets a DNC lookup failure propagate: no list without the scrub', async () => {
    const failing = () => Promise.reject(new Error('db down'));
    const file = csv(['Ad,Telefon', 'Ayşe,05321234567']);
    await expect(
      importContacts({
        defaultCountry: 'TR',
        requiredVariables: [],
        file,
        filename: 'a.csv',
        isOnDnc: failing,
      }),
    ).rejects.toThrow('db down');
  });

  it('re-maps a stored draft without the file', async () => {
    const parsed = await parseContactFile({ file: await messyWorkbook(), filename: 'Ocak.xlsx' });
    const stored = JSON.parse(JSON.stringify(parsed)) as ParsedSheet;
    const remapped = await applyMapping(
      stored,
      {
        phone: 'Telefon',
        name: null,
        variables: { amount: 'Tutar', due_date: 'Son Ödeme', customer: 'Ad Soyad' },
      },
      { ...base, isOnDnc: noDnc },
    );
    expect(remapped.mapping).toMatchObject({ name: null, proposed: false });
    expect(remapped.contacts[0]).toEqual({
      row: 4,
      phone: '+905321234567',
      rawPhone: '0532 123 45 67',
      name: null,
      variables: { amount: '150', due_date: '2024-01-31', customer: 'Ayşe Yılmaz', tarih: '2024-01-15' },
    });
    expect(remapped.report).toMatchObject({ total: 10, valid: 6, dnc: 0 });
  });

  it('imports a Turkish CP1254 semicolon CSV end to end', async () => {
    const file = csv(
      [
        'Müşteri Adı;GSM;Kargo Takip No',
        'Şükrü Çağlayan;0532 123 45 67;TR123',
        'İlknur Öğüt;0533 765 43 21;TR456',
      ],
      {
        encoding: 'windows-1254',
      },
    );
    const result = await importContacts({
      defaultCountry: 'TR',
      requiredVariables: ['tracking_number'],
      file,
      filename: 'kargo.csv',
      isOnDnc: noDnc,
    });
    expect(result.contacts.map((c) => [c.name, c.phone, c.variables])).toEqual([
      ['Şükrü Çağlayan', '+905321234567', { tracking_number: 'TR123', name: 'Şükrü Çağlayan' }],
      ['İlknur Öğüt', '+905337654321', { tracking_number: 'TR456', name: 'İlknur Öğüt' }],
    ]);
  });
});
