/**
 * File-level import failures. The code is a stable string the API returns in problem+json; the
 * status is a suggestion for the HTTP layer (413 for size, 400 for a file we cannot read, 422 for a
 * readable file whose content does not fit a campaign).
 */
export const IMPORT_ERROR_STATUS = {
  FILE_TOO_LARGE: 413,
  TOO_MANY_ROWS: 413,
  TOO_MANY_COLUMNS: 413,
  ZIP_BOMB: 413,
  CELL_TOO_LONG: 413,
  FILE_TOO_COMPLEX: 413,
  UNSUPPORTED_FORMAT: 400,
  FORMAT_MISMATCH: 400,
  ENCRYPTED_WORKBOOK: 400,
  CORRUPT_FILE: 400,
  XML_ENTITIES_FORBIDDEN: 400,
  EMPTY_SHEET: 422,
  NO_HEADER_ROW: 422,
  PHONE_COLUMN_NOT_FOUND: 422,
  MAPPING_COLUMN_NOT_FOUND: 422,
  SHEET_NOT_FOUND: 422,
} as const;

export type ImportErrorCode = keyof typeof IMPORT_ERROR_STATUS;
export type ImportErrorStatus = (typeof IMPORT_ERROR_STATUS)[ImportErrorCode];

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly status: ImportErrorStatus;

  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = IMPORT_ERROR_STATUS[code];
  }
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}
