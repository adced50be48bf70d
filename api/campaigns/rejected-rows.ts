import type { ImportReport, ParsedSheet } from '../import';
import { csvLine } from './results-export';

/**
 * The upload's rows that did not become contacts (invalid or missing number, repeated, on the DNC
 * list, a script variable missing), as uploaded, with their error codes and messages appended, so
 * the customer can fix them in their own file and upload them again.
 */
export function rejectedRowsCsv(
  sheet: Pick<ParsedSheet, 'headers' | 'rows' | 'rowNumbers'>,
  contactRowNumbers: ReadonlySet<number>,
  report: Pick<ImportReport, 'errors'>,
): string {
  const errorsOf = new Map<number, ImportReport['errors']>();
  for (const error of report.errors) errorsOf.set(error.row, [...(errorsOf.get(error.row) ?? []), error]);
  const lines = [csvLine(['row', ...sheet.headers, 'error_codes', 'error_messages'])];
  sheet.rowNumbers.forEach((rowNumber, i) => {
    if (contactRowNumbers.has(rowNumber)) return;
    const errors = errorsOf.get(rowNumber) ?? [];
    lines.push(
      csvLine([
        rowNumber,
        ...(sheet.rows[i] ?? []),
        errors.map((e) => e.code).join(';'),
        errors.map((e) => e.message).join('; '),
      ]),
    );
  });
  return lines.join('');
}
