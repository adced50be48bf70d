import type { DetectedEncoding } from './decode-text';
import type { FileFormat } from './detect-format';

/** Cells as text, trimmed; completely empty rows are dropped but keep their row numbers apart. */
export interface RawTable {
  /** 1-based row (CSV: record) numbers as the spreadsheet shows them, parallel to `rows`. */
  rowNumbers: number[];
  rows: string[][];
}

/** Takes a kept (non-empty, trimmed) row and its 1-based row or record number, in file order. */
export type RowSink = (rowNumber: number, cells: string[]) => void;

/**
 * A parsed upload, independent of any mapping. It is plain JSON so a draft can store it and
 * re-map it later (`applyMapping`) without the file. Every row has exactly `headers.length` cells.
 */
export interface ParsedSheet {
  format: FileFormat;
  sheetName: string | null;
  /** Every sheet of the workbook (absent on drafts stored before it was kept). */
  sheetNames?: string[];
  encoding: DetectedEncoding | null;
  delimiter: string | null;
  headerRow: number;
  headers: string[];
  rowNumbers: number[];
  rows: string[][];
}

/** `columnMapping` of the campaign config: values are column headers. */
export interface ColumnMapping {
  phone: string;
  name: string | null;
  variables: Record<string, string>;
}

/** What a config may carry: only the phone column is mandatory. */
export interface ColumnMappingInput {
  phone: string;
  name?: string | null;
  variables?: Record<string, string>;
}

export type MappingWarningCode =
  | 'NAME_COLUMN_HOLDS_DATES'
  | 'NAME_COLUMN_HOLDS_NUMBERS'
  | 'NAME_COLUMN_NOT_FOUND'
  | 'PHONE_COLUMN_GUESSED_FROM_VALUES'
  | 'MULTIPLE_PHONE_COLUMNS'
  | 'REQUIRED_VARIABLE_NOT_MAPPED';

export interface MappingWarning {
  code: MappingWarningCode;
  /** The column header concerned, or the variable name for REQUIRED_VARIABLE_NOT_MAPPED. */
  column: string;
  message: string;
}

export interface ResolvedMapping extends ColumnMapping {
  /** True when Outdial proposed the mapping (no `columnMapping` in the config). */
  proposed: boolean;
  warnings: MappingWarning[];
}

export type RowErrorCode =
  'INVALID_PHONE' | 'MISSING_PHONE' | 'DUPLICATE_PHONE' | 'ON_DNC_LIST' | 'MISSING_VARIABLE';

export interface RowError {
  row: number;
  /** Column header; for MISSING_VARIABLE the variable name. */
  column: string;
  code: RowErrorCode;
  message: string;
  value: string;
}

export interface ImportReport {
  /** Non-empty data rows. total = valid + invalid + duplicates + dnc. */
  total: number;
  valid: number;
  invalid: number;
  duplicates: number;
  dnc: number;
  errors: RowError[];
  /** Errors beyond `limits.maxReportedErrors`, counted but not listed. */
  errorsOmitted: number;
}

export interface Contact {
  row: number;
  /** E.164. */
  phone: string;
  rawPhone: string;
  name: string | null;
  /**
   * Every mapped variable and every other column (by normalised header), the phone excepted; `name`
   * repeats the name column unless a variable of that name is mapped.
   */
  variables: Record<string, string>;
}

export interface ImportResult {
  mapping: ResolvedMapping;
  headers: string[];
  report: ImportReport;
  contacts: Contact[];
  sample: Contact[];
}

/** Returns the subset of the given E.164 numbers that are on the tenant's Do-Not-Call list. */
export type DncLookup = (e164s: string[]) => Promise<Set<string>>;
