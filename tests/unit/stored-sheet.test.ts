import { describe, expect, it } from 'vitest';
import type { NewContactRow } from '../../schema/repositories/campaigns.repository';
import { restoreSheet, sheetToStore, type StoredSheet } from '../../api/campaigns/campaign-import';
import type { ParsedSheet } from '../../api/import';

const sheet: ParsedSheet = {
  format: 'csv',
  sheetName: null,
  encoding: 'utf-8',
  delimiter: ',',
  headerRow: 1,
  headers: ['ad', 'telefon'],
  rowNumbers: [2, 3, 5, 6, 9],
  rows: [
    ['Ayşe', '0532 123 45 67'],
    ['Mehmet', 'yok'],
    ['Zeynep', '0533 765 43 21'],
    ['Ayşe again', '0532 123 45 67'],
    ['Can', '0534 111 22 33'],
  ],
};

function contact(rowNumber: number, sourceCells: string[] | null): NewContactRow {
  return { rowNumber, phoneE164: `+90${rowNumber}`, rawPhone: '', name: null, variables: {}, sourceCells };
}

/** The contacts table's view of the same contacts: row number order, as contactSourceRows reads them. */
function asStored(contacts: NewContactRow[]) {
  return contacts
    .map((c) => ({ row_number: c.rowNumber, source_cells: c.sourceCells }))
    .sort((a, b) => a.row_number - b.row_number);
}

describe('the stored upload', () => {
  it('keeps only the rows that are no contact, and restores the whole sheet from the contacts', () => {
    const contacts = [contact(9, sheet.rows[4]!), contact(2, sheet.rows[0]!), contact(5, sheet.rows[2]!)];
    const stored = sheetToStore(sheet, contacts);
    expect(stored.rowNumbers).toEqual([3, 6]);
    expect(stored.rows).toEqual([sheet.rows[1], sheet.rows[3]]);
    expect(stored.headers).toEqual(sheet.headers);
    expect(restoreSheet(JSON.parse(JSON.stringify(stored)) as StoredSheet, asStored(contacts))).toEqual(
      sheet,
    );
  });

  it('keeps the row of a contact stored without its cells', () => {
    const contacts = [contact(2, null), contact(5, sheet.rows[2]!)];
    const stored = sheetToStore(sheet, contacts);
    expect(stored.rowNumbers).toEqual([2, 3, 6, 9]);
    expect(restoreSheet(stored, asStored(contacts))).toEqual(sheet);
  });

  it('reads a sheet stored whole, as uploads were stored before, as it is', () => {
    const contacts = [contact(2, sheet.rows[0]!)];
    expect(restoreSheet(sheet, asStored(contacts))).toEqual(sheet);
  });
});
