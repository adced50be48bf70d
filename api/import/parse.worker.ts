import { parentPort } from 'node:worker_threads';
import { ImportError } from './errors';
import type { ParseJob, ParseReply, ParseRequest, TableInfo } from './parse-job';
import { readCsv } from './read-csv';
import { readXlsx } from './read-xlsx';

const BATCH_ROWS = 2000;

let pending: { job: ParseJob; file: Buffer; received: number } | undefined;

// Runs in a worker thread (see parse-workers.ts): one job at a time, its rows streamed back.
parentPort?.on('message', (request: ParseRequest) => {
  if (request.kind === 'start') {
    pending = { job: request.job, file: Buffer.allocUnsafe(request.bytes), received: 0 };
  } else if (pending) {
    pending.file.set(request.chunk, pending.received);
    pending.received += request.chunk.length;
  }
  if (pending && pending.received === pending.file.length) {
    const { job, file } = pending;
    pending = undefined;
    void run(job, file);
  }
});

async function run(job: ParseJob, file: Buffer): Promise<void> {
  const post = (reply: ParseReply) => parentPort?.postMessage(reply);
  let batch: Extract<ParseReply, { kind: 'rows' }> = { kind: 'rows', rowNumbers: [], rows: [] };
  const flush = () => {
    if (batch.rows.length > 0) post(batch);
    batch = { kind: 'rows', rowNumbers: [], rows: [] };
  };
  const onRow = (rowNumber: number, cells: string[]) => {
    batch.rowNumbers.push(rowNumber);
    batch.rows.push(cells);
    if (batch.rows.length >= BATCH_ROWS) flush();
  };
  try {
    const info = await readTable(job, file, onRow);
    flush();
    post({ kind: 'done', info });
  } catch (error) {
    post({
      kind: 'failed',
      error:
        error instanceof ImportError
          ? { code: error.code, message: error.message, details: error.details }
          : { message: error instanceof Error ? error.message : String(error) },
    });
  }
}

async function readTable(
  job: ParseJob,
  file: Buffer,
  onRow: (rowNumber: number, cells: string[]) => void,
): Promise<TableInfo> {
  if (job.format === 'xlsx') {
    const { sheetName, sheetNames } = await readXlsx(file, job.limits, job.sheet, onRow);
    return { sheetName, sheetNames, encoding: null, delimiter: null };
  }
  const { encoding, delimiter } = await readCsv(file, job.limits, job.encoding, onRow);
  return { sheetName: null, sheetNames: [], encoding, delimiter };
}
