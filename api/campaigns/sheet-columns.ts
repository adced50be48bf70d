import { normalizePhone } from '../../domain/phone';
import type { MappingWarning, ParsedSheet, ResolvedMapping } from '../import';
import { kindShares } from '../import/value-kinds';

export type ColumnKind = 'phone' | 'name' | 'date' | 'number' | 'text';

/** What a column is used for in the current mapping. */
export type ColumnUse = { field: 'phone' } | { field: 'name' } | { field: 'variable'; variable: string };

export interface SheetColumn {
  header: string;
  /** The first non-empty values, in sheet order. */
  samples: string[];
  kind: ColumnKind;
  mappedAs?: ColumnUse;
}

const SAMPLES = 5;
/** Values read to tell a column's kind: enough to see a pattern, few enough for any sheet. */
const KIND_SAMPLE = 200;

/**
 * Each column of an upload with sample values and the kind of value it holds, as the mapping step
 * shows them: phone (most values are numbers we can call), date or number (most values), name (the
 * mapping's name column), else text.
 */
export function sheetColumns(
  sheet: Pick<ParsedSheet, 'headers' | 'rows'>,
  mapping: Pick<ResolvedMapping, 'phone' | 'name' | 'variables'>,
  defaultCountry: string,
): SheetColumn[] {
  const variableOf = new Map(
    Object.entries(mapping.variables).map(([variable, header]) => [header, variable]),
  );
  return sheet.headers.map((header, column) => {
    const values: string[] = [];
    for (const row of sheet.rows) {
      const value = row[column] ?? '';
      if (value !== '') values.push(value);
      if (values.length >= KIND_SAMPLE) break;
    }
    const mappedAs: ColumnUse | undefined =
      header === mapping.phone
        ? { field: 'phone' }
        : header === mapping.name
          ? { field: 'name' }
          : variableOf.has(header)
            ? { field: 'variable', variable: variableOf.get(header)! }
            : undefined;
    return {
      header,
      samples: values.slice(0, SAMPLES),
      kind: kindOf(sheet, column, values, defaultCountry, mappedAs),
      ...(mappedAs ? { mappedAs } : {}),
    };
  });
}

function kindOf(
  sheet: Pick<ParsedSheet, 'rows'>,
  column: number,
  values: string[],
  defaultCountry: string,
  mappedAs: ColumnUse | undefined,
): ColumnKind {
  if (values.length === 0) return mappedAs?.field === 'name' ? 'name' : 'text';
  const phones = values.filter((value) => normalizePhone(value, defaultCountry).ok).length;
  if (phones / values.length >= 0.5) return 'phone';
  const shares = kindShares(sheet.rows, column, KIND_SAMPLE);
  if (shares.date >= 0.5) return 'date';
  if (shares.number >= 0.5) return 'number';
  return mappedAs?.field === 'name' ? 'name' : 'text';
}

/** The mapping's warnings as the wizard shows them, each with the flagged column's samples. */
export function columnWarnings(warnings: readonly MappingWarning[], columns: readonly SheetColumn[]) {
  return warnings.map((warning) => ({
    ...warning,
    samples: columns.find((c) => c.header === warning.column)?.samples ?? [],
  }));
}
