import { ImportError } from './errors';

export interface ImportLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  /** Data rows under the header (empty rows are not counted). */
  maxRows: number;
  maxColumns: number;
  /** Sum of the declared and of the actual uncompressed sizes of all entries of an xlsx. */
  maxUncompressedBytes: number;
  /** Uncompressed/compressed size of one xlsx entry; real sheets stay far below 100. */
  maxCompressionRatio: number;
  /** Per-row errors kept in the report; the counters stay exact beyond it. */
  maxReportedErrors: number;
}

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 200,
  maxUncompressedBytes: 400 * 1024 * 1024,
  maxCompressionRatio: 200,
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
