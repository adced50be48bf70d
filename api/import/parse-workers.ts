import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { ImportError } from './errors';
import { resolveLimits } from './limits';
import type { ParseJob, ParseReply, ParseRequest, TableInfo } from './parse-job';
import { MODULE_EXTENSION } from '../../infra/process/compiled';
import { startTsWorker } from './ts-worker';
import type { RowSink } from './types';

/** Uploads read at once; more wait their turn. Each read keeps one core busy. */
const MAX_WORKERS = 2;
/**
 * A worker's heap: a 20 MB upload reads in well under half of it (rows leave as they are read),
 * so a file that needs more was made to, and it kills that worker rather than the API.
 */
const WORKER_HEAP_MB = 512;
const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads an upload's rows in a worker thread, handing each kept row to `onRow` on this thread as
 * batches arrive. Parsing a hostile file can take seconds of CPU and much memory; on the API's
 * event loop that would stall every live call's turn and `/healthz` with it.
 */
export function readTableOffThread(file: Uint8Array, job: ParseJob, onRow: RowSink): Promise<TableInfo> {
  return parseWorkers.read(file, job, onRow);
}

/**
 * Starts a worker and lets it load its modules (tsx, exceljs: about a second), so that the first
 * upload does not wait for that.
 */
export async function warmParseWorker(): Promise<void> {
  const tiny = Buffer.from('a\n');
  await parseWorkers.read(tiny, { format: 'csv', limits: resolveLimits() }, () => undefined);
}

/**
 * Workers are kept (unreferenced while idle) because starting one, with tsx and exceljs loaded,
 * takes about a second. A worker that died is dropped and the next read starts a new one.
 */
class ParseWorkers {
  private readonly idle: Worker[] = [];
  private busy = 0;
  private readonly queue: (() => void)[] = [];

  async read(file: Uint8Array, job: ParseJob, onRow: RowSink): Promise<TableInfo> {
    if (this.busy >= MAX_WORKERS) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.busy++;
    try {
      const worker =
        this.idle.pop() ??
        startTsWorker(join(__dirname, `parse.worker${MODULE_EXTENSION}`), { maxOldGenerationSizeMb: WORKER_HEAP_MB });
      worker.ref();
      const { info, alive } = await runJob(worker, file, job, onRow);
      if (alive) {
        worker.unref();
        this.idle.push(worker);
      }
      return unwrap(info);
    } finally {
      this.busy--;
      this.queue.shift()?.();
    }
  }
}

type Outcome = { ok: true; info: TableInfo } | { ok: false; error: Error };

function runJob(
  worker: Worker,
  file: Uint8Array,
  job: ParseJob,
  onRow: RowSink,
): Promise<{ info: Outcome; alive: boolean }> {
  return new Promise((resolve) => {
    const finish = (info: Outcome, alive: boolean) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!alive) void worker.terminate();
      resolve({ info, alive });
    };
    const onMessage = (reply: ParseReply) => {
      switch (reply.kind) {
        case 'rows':
          try {
            for (let i = 0; i < reply.rows.length; i++) onRow(reply.rowNumbers[i]!, reply.rows[i]!);
          } catch (error) {
            finish({ ok: false, error: error as Error }, false);
          }
          return;
        case 'done':
          return finish({ ok: true, info: reply.info }, true);
        case 'failed': {
          const { code, message, details } = reply.error;
          return finish(
            { ok: false, error: code ? new ImportError(code, message, details) : new Error(message) },
            true,
          );
        }
      }
    };
    const onError = (error: Error & { code?: string }) => {
      finish(
        {
          ok: false,
          error:
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new ImportError(
                  'FILE_TOO_COMPLEX',
                  `Reading the file needs more than the ${WORKER_HEAP_MB} MB an import may use`,
                  { maxMemoryMb: WORKER_HEAP_MB },
                  { cause: error },
                )
              : new Error('The import worker failed', { cause: error }),
        },
        false,
      );
    };
    const onExit = (exitCode: number) => {
      finish({ ok: false, error: new Error(`The import worker exited (code ${exitCode})`) }, false);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    void sendFile(worker, file, job);
  });
}

async function sendFile(worker: Worker, file: Uint8Array, job: ParseJob): Promise<void> {
  worker.postMessage({ kind: 'start', job, bytes: file.length } satisfies ParseRequest);
  for (let at = 0; at < file.length; at += FILE_CHUNK_BYTES) {
    // A copy of its own, so that it can be transferred rather than cloned.
    const chunk = new Uint8Array(file.subarray(at, at + FILE_CHUNK_BYTES));
    worker.postMessage({ kind: 'chunk', chunk } satisfies ParseRequest, [chunk.buffer]);
    await nextTurn();
  }
}

function unwrap(outcome: Outcome): TableInfo {
  if (!outcome.ok) throw outcome.error;
  return outcome.info;
}

const parseWorkers = new ParseWorkers();
