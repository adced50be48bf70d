import { describe, expect, it } from 'vitest';
import { applyMapping, ImportError, type ColumnMappingInput, type ParsedSheet } from '../../../api/import';
import { headerKey, variableNameFor } from '../../../api/import/normalize';
import { noDnc } from './fixtures';

function sheet(headers: string[], rows: string[][]): ParsedSheet {
  return {
    format: 'csv',
    sheetName: null,
    encoding: 'utf-8',
    delimiter: ',',
    headerRow: 1,
    headers,
    rowNumbers: rows.map((_, i) => i + 2),
    rows,
  };
}

const map = (s: ParsedSheet, mapping?: ColumnMappingInput, requiredVariables: string[] = []) =>
  applyMapping(s, mapping, { defaultCountry: 'TR', requiredVariables, isOnDnc: noDnc });

describe('header names', () => {
  it('folds Turkish letters and notes', () => {
    expect(headerKey('Son Ödeme Tarihi (TL)')).toBe('son odeme tarihi');
    expect(headerKey('İSİM')).toBe('isim');
    expect(headerKey('  MÜŞTERİ   ADI ')).toBe('musteri adi');
    expect(variableNameFor('Tutar')).toBe('amount');
    expect(variableNameFor('Kargo Takip No')).toBe('tracking_number');
    expect(variableNameFor('Randevu Tarihi')).toBe('appointment_date');
    expect(variableNameFor('Şube Adı')).toBe('sube_adi');
  });
});

describe('proposed mapping', () => {
  it('recognises Turkish headers and canonical variables', async () => {
    const s = sheet(
      ['Sıra', 'Ad Soyad', 'Cep Telefonu', 'Borç Tutarı', 'Son Ödeme Tarihi', 'Şube'],
      [['1', 'Ayşe Yılmaz', '0532 123 45 67', '1.250,00', '15.01.2024', 'Kadıköy']],
    );
    const result = await map(s, undefined, ['amount', 'due_date']);
    expect(result.mapping).toEqual({
      phone: 'Cep Telefonu',
      name: 'Ad Soyad',
      variables: { sira: 'Sıra', amount: 'Borç Tutarı', due_date: 'Son Ödeme Tarihi', sube: 'Şube' },
      proposed: true,
      warnings: [],
    });
    expect(result.contacts[0]).toEqual({
      row: 2,
      phone: '+905321234567',
      rawPhone: '0532 123 45 67',
      name: 'Ayşe Yılmaz',
      variables: {
        sira: '1',
        amount: '1.250,00',
        due_date: '15.01.2024',
        sube: 'Kadıköy',
        name: 'Ayşe Yılmaz',
      },
    });
  });

  it('recognises English headers', async () => {
    const s = sheet(
      ['Customer Name', 'Mobile', 'Appointment', 'Tracking Number'],
      [['Jane', '+442079460958', 'x', 'y']],
    );
    const { mapping } = await map(s);
    expect(mapping).toMatchObject({
      phone: 'Mobile',
      name: 'Customer Name',
      variables: { appointment_date: 'Appointment', tracking_number: 'Tracking Number' },
    });
  });

  it('never takes a date column as the name, and says why (seed 000: customer_name "15/01/2024")', async () => {
    const rows = [
      ['15/01/2024', 'Ayşe Yılmaz', '05321234567'],
      ['16/01/2024', 'Can Demir', '05321234568'],
      ['2024-01-17', 'Ece Kaya', '05321234569'],
    ];
    const s = sheet(['Müşteri', 'Alıcı Adı', 'Telefon'], rows);
    const result = await map(s);
    expect(result.mapping.name).toBe('Alıcı Adı');
    expect(result.mapping.warnings).toEqual([
      expect.objectContaining({ code: 'NAME_COLUMN_HOLDS_DATES', column: 'Müşteri' }),
    ]);
    expect(result.contacts.map((c) => c.name)).toEqual(['Ayşe Yılmaz', 'Can Demir', 'Ece Kaya']);
    expect(result.contacts.every((c) => !/\d/.test(c.name ?? ''))).toBe(true);
  });

  it('leaves the name empty rather than use a date or number column, even when the config names it', async () => {
    const s = sheet(
      ['Ad Soyad', 'Telefon'],
      [
        ['15/01/2024', '05321234567'],
        ['16.01.2024', '05321234568'],
      ],
    );
    const proposed = await map(s);
    expect(proposed.mapping.name).toBeNull();
    expect(proposed.mapping.warnings.map((w) => w.code)).toEqual(['NAME_COLUMN_HOLDS_DATES']);
    expect(proposed.contacts[0]).toMatchObject({ name: null, variables: { ad_soyad: '15/01/2024' } });

    const numbers = sheet(
      ['Müşteri', 'Telefon'],
      [
        ['1001', '05321234567'],
        ['1002', '05321234568'],
      ],
    );
    const given = await map(numbers, { phone: 'Telefon', name: 'Müşteri' });
    expect(given.mapping).toMatchObject({ name: null, proposed: false });
    expect(given.mapping.warnings.map((w) => w.code)).toEqual(['NAME_COLUMN_HOLDS_NUMBERS']);
  });

  it('prefers a mobile column and keeps the others as variables', async () => {
    const s = sheet(['Ad', 'Ev Telefonu', 'GSM'], [['Ayşe', '0212 555 12 12', '0532 123 45 67']]);
    const result = await map(s);
    expect(result.mapping.phone).toBe('GSM');
    expect(result.mapping.variables).toEqual({ ev_telefonu: 'Ev Telefonu' });
    expect(result.mapping.warnings.map((w) => w.code)).toEqual(['MULTIPLE_PHONE_COLUMNS']);
  });

  it('finds an unnamed phone column by its values, and fails clearly when there is none', async () => {
    const s = sheet(
      ['Kişi', 'Numara 1', 'Bilgi'],
      [
        ['Ayşe', '05321234567', 'a'],
        ['Can', '+90 532 123 45 68', 'b'],
      ],
    );
    const result = await map(s);
    expect(result.mapping.phone).toBe('Numara 1');
    expect(result.mapping.warnings.map((w) => w.code)).toContain('PHONE_COLUMN_GUESSED_FROM_VALUES');

    const error = await map(sheet(['Ad', 'Şehir'], [['Ayşe', 'İzmir']])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'PHONE_COLUMN_NOT_FOUND', status: 422 });
  });
});

describe('given mapping', () => {
  const s = sheet(['Telefon', 'İsim', 'Ödenecek'], [['05321234567', 'Ayşe', '100']]);

  it('validates that every named column exists', async () => {
    const error = await map(s, { phone: 'Telefon', name: 'Ad', variables: { amount: 'Tutar' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({
      code: 'MAPPING_COLUMN_NOT_FOUND',
      status: 422,
      details: { missing: ['Ad', 'Tutar'], headers: ['Telefon', 'İsim', 'Ödenecek'] },
    });
  });

  it('matches headers ignoring case and Turkish letters, and maps variables by name', async () => {
    const result = await map(s, { phone: 'telefon', name: 'ISIM', variables: { amount: 'odenecek' } }, [
      'amount',
    ]);
    expect(result.mapping).toEqual({
      phone: 'Telefon',
      name: 'İsim',
      variables: { amount: 'Ödenecek' },
      proposed: false,
      warnings: [],
    });
    expect(result.contacts[0]).toMatchObject({ name: 'Ayşe', variables: { amount: '100' } });
  });

  it('takes the mapped name column as the name variable (Turkish "Ad Soyad")', async () => {
    const turkish = sheet(['Ad Soyad', 'Telefon', 'Tutar'], [['Ayşe Yılmaz', '05321234567', '100']]);
    const result = await map(
      turkish,
      { phone: 'Telefon', name: 'Ad Soyad', variables: { amount: 'Tutar' } },
      ['name', 'amount'],
    );
    expect(result.mapping.warnings).toEqual([]);
    expect(result.mapping.name).toBe('Ad Soyad');
    expect(result.contacts[0]).toMatchObject({
      name: 'Ayşe Yılmaz',
      variables: { name: 'Ayşe Yılmaz', amount: '100' },
    });
  });

  it('warns when a required variable has no column', async () => {
    const result = await map(s, { phone: 'Telefon' }, ['due_date']);
    expect(result.mapping.warnings).toEqual([
      expect.objectContaining({ code: 'REQUIRED_VARIABLE_NOT_MAPPED', column: 'due_date' }),
    ]);
    expect(result.report).toMatchObject({ total: 1, valid: 0, invalid: 1 });
  });
});
