import type { DetectedEncoding, TextEncoding } from './decode-text';
import type { FileFormat } from './detect-format';
import type { ImportErrorCode } from './errors';
import type { ImportLimits } from './limits';

/** How to read an upload. */
export interface ParseJob {
  format: FileFormat;
  limits: ImportLimits;
  sheet?: string;
  encoding?: TextEncoding;
}

/**
 * A parse worker's (parse.worker.ts) messages for one job: `start`, then the file in chunks. One
 * copy of a 20 MB upload, on a busy machine, held the API's event loop for a quarter of a second;
 * a chunk at a time, each copy is brief and the loop turns between them.
 */
export type ParseRequest =
  { kind: 'start'; job: ParseJob; bytes: number } | { kind: 'chunk'; chunk: Uint8Array };

/** What a read tells besides its rows. */
export interface TableInfo {
  sheetName: string | null;
  /** Every sheet of a workbook, in tab order; empty for a CSV. */
  sheetNames: string[];
  encoding: DetectedEncoding | null;
  delimiter: string | null;
}

/**
 * A parse worker's messages for one job: kept rows in batches as they are read, then one `done` or
 * `failed`. Batches keep each message small, so taking one in costs the API's event loop little.
 */
export type ParseReply =
  | { kind: 'rows'; rowNumbers: number[]; rows: string[][] }
  | { kind: 'done'; info: TableInfo }
  | {
      kind: 'failed';
      /** An ImportError's fields, or only a message for anything else. */
      error: { code?: ImportErrorCode; message: string; details?: Readonly<Record<string, unknown>> };
    };
