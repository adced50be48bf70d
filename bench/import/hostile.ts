/**
 * Hostile uploads (issue #20): `npx tsx bench/import/hostile.ts [name ...]`. Each file is built
 * here, written to a temp file and refused in a child process of its own running the API's upload read (parseContactFile: detection, the parse
 * worker, limits), so the figures are that process's alone: peak RSS (getrusage maxRSS, worker
 * thread included), RSS before the upload, seconds until the refusal, the refusal's code, and the
 * longest delay of a 10 ms timer on the main thread meanwhile (what a live call's turn would wait).
 * Prints JSON.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContactFile } from '../../api/import';
import { warmParseWorker } from '../../api/import/parse-workers';
import {
  blankRecordsCsv,
  entryLargerThanDeclared,
  longCellCsv,
  longCellWorkbook,
  newlineCsv,
  overlappingEntries,
  unlistedEntryBomb,
} from '../../tests/support/hostile-files';

const FILES: Record<string, { filename: string; build: () => Promise<Buffer> | Buffer }> = {
  'xlsx-unlisted-entry-200mb': { filename: 'a.xlsx', build: () => unlistedEntryBomb(200) },
  'xlsx-overlapping-entries': { filename: 'a.xlsx', build: overlappingEntries },
  'xlsx-entry-larger-than-declared': { filename: 'a.xlsx', build: () => entryLargerThanDeclared(16) },
  'xlsx-1m-char-cell': { filename: 'a.xlsx', build: () => longCellWorkbook(1_000_000) },
  'csv-header-and-5mb-newlines': { filename: 'a.csv', build: () => newlineCsv(5) },
  'csv-19mb-newlines': { filename: 'a.csv', build: () => newlineCsv(19, '') },
  'csv-19mb-blank-records': { filename: 'a.csv', build: () => blankRecordsCsv(19) },
  'csv-19mb-cell': { filename: 'a.csv', build: () => longCellCsv(19) },
};

const MB = 1024 * 1024;

interface Figures {
  uploadMb: number;
  refused: string;
  seconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
  longestTimerDelayMs: number;
}

async function measure(path: string, filename: string): Promise<Figures> {
  const file = await readFile(path);
  // Start the parse worker first, as a running API would have: its start-up is not the upload's.
  await warmParseWorker();
  const rssBefore = process.memoryUsage().rss;
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  const refused = await parseContactFile({ file, filename }).then(
    () => 'ACCEPTED',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return {
    uploadMb: round(file.length / MB),
    refused,
    seconds: round(seconds),
    rssBeforeMb: round(rssBefore / MB),
    peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
    longestTimerDelayMs: Math.round(longest),
  };
}

function inChild(name: string, path: string, filename: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--file', path, filename], { execArgv: ['--import', 'tsx'] });
    child.once('message', (figures) => resolve(figures as Figures));
    child.once('exit', (code) => reject(new Error(`${name}: child exited with ${code}`)));
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function main(): Promise<void> {
  const [first, path, filename] = process.argv.slice(2);
  if (first === '--file') {
    process.send!(await measure(path!, filename!));
    process.exit(0);
  }
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(FILES);
  const dir = await mkdtemp(join(tmpdir(), 'outdial-hostile-'));
  const results: Record<string, Figures> = {};
  try {
    for (const name of names) {
      const spec = FILES[name];
      if (!spec) throw new Error(`unknown file ${name}; known: ${Object.keys(FILES).join(', ')}`);
      const file = join(dir, spec.filename);
      await writeFile(file, await spec.build());
      results[name] = await inChild(name, file, spec.filename);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(results, null, 2));
}

void main();
