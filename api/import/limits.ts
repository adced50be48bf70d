import { ImportError } from './errors';

export interface ImportLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  /** Data rows under the header (empty rows are not counted). */
  maxRows: number;
  maxColumns: number;
  /** Sum of the uncompressed sizes of all entries of an xlsx. */
  maxUncompressedBytes: number;
  /** Uncompressed size of one xlsx entry. */
  maxEntryUncompressedBytes: number;
  /** Uncompressed/compressed size of one xlsx entry; real sheets stay far below 100. */
  maxCompressionRatio: number;
  /** Characters in one cell; Excel itself stops at 32,767, so anything longer was crafted. */
  maxCellLength: number;
  /** Per-row errors kept in the report; the counters stay exact beyond it. */
  maxReportedErrors: number;
}

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 200,
  maxUncompressedBytes: 400 * 1024 * 1024,
  maxEntryUncompressedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxCellLength: 32_767,
  maxReportedErrors: 1000,
});

/** The header must sit within this many non-empty rows from the top. */
export const HEADER_SCAN_ROWS = 10;

export function resolveLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  const limits = { ...DEFAULT_IMPORT_LIMITS };
  for (const key of Object.keys(limits) as (keyof ImportLimits)[]) {
    const value = overrides[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`import limit ${key} must be > 0`);
      limits[key] = value;
    }
  }
  return limits;
}

export function tooManyRows(limits: ImportLimits): ImportError {
  return new ImportError('TOO_MANY_ROWS', `The file has more than ${limits.maxRows} data rows`, {
    maxRows: limits.maxRows,
  });
}

export function tooManyColumns(columns: number, limits: ImportLimits): ImportError {
  return new ImportError(
    'TOO_MANY_COLUMNS',
    `The file has ${columns} columns; at most ${limits.maxColumns} are allowed`,
    {
      maxColumns: limits.maxColumns,
    },
  );
}

/** Counts rows as a reader meets them and refuses as soon as one passes a limit. */
export class RowLimits {
  private read = 0;
  private kept = 0;
  /**
   * Rows whose cells are all empty are not data rows, but a file of them is still work to read:
   * at most as many again as data rows may be read. CSV's empty lines are skipped unread.
   */
  private readonly maxRead: number;

  constructor(private readonly limits: ImportLimits) {
    this.maxRead = 2 * (limits.maxRows + HEADER_SCAN_ROWS);
  }

  /** Every row or record met, before its cells are looked at. */
  countRead(): void {
    if (++this.read > this.maxRead) {
      throw new ImportError(
        'TOO_MANY_ROWS',
        `The file has more than ${this.maxRead} rows, blank ones included`,
        { maxRows: this.limits.maxRows },
      );
    }
  }

  checkCell(rowNumber: number, text: string): void {
    if (text.length > this.limits.maxCellLength) throw cellTooLong(rowNumber, this.limits);
  }

  /** A row with a non-empty cell, `width` cells wide up to its last non-empty one. */
  countKept(width: number): void {
    if (width > this.limits.maxColumns) throw tooManyColumns(width, this.limits);
    // The header is one of the first rows; anything past this count is certainly too many.
    if (++this.kept > this.limits.maxRows + HEADER_SCAN_ROWS) throw tooManyRows(this.limits);
  }
}

export function cellTooLong(row: number, limits: ImportLimits): ImportError {
  return new ImportError(
    'CELL_TOO_LONG',
    `Row ${row} has a cell longer than ${limits.maxCellLength} characters`,
    { row, maxCellLength: limits.maxCellLength },
  );
}
