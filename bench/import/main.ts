/**
 * Contact import benchmark: `npx tsx bench/import/main.ts [rows]` (default 100,000).
 *
 * Writes a realistic Turkish xlsx, then runs (a) a bare exceljs streaming parse that only iterates
 * rows and (b) the whole importContacts, each in its own child process so that each peak RSS
 * (getrusage maxRSS, plus 50 ms samples) belongs to that phase alone. Prints JSON.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { importContacts } from '../../api/import';
import { writeWorkbook } from './generate';

type Phase = 'bare' | 'import';

interface PhaseFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
  report?: Record<string, number>;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const [, , first, second] = process.argv;
  if (first === '--phase') {
    const phase = second as Phase;
    const file = process.argv[4]!;
    const figures = await runPhase(phase, file);
    process.send!(figures);
    return;
  }

  const rows = first ? Number(first) : 100_000;
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, got ${first}`);
  const dir = await mkdtemp(join(tmpdir(), 'outdial-import-bench-'));
  try {
    const file = join(dir, 'contacts.xlsx');
    const started = performance.now();
    await writeWorkbook(file, rows);
    const generateSeconds = (performance.now() - started) / 1000;
    const bare = await inChild('bare', file);
    const full = await inChild('import', file);
    const ratio = full.rowsPerSecond / bare.rowsPerSecond;
    const result = {
      rows,
      fileMb: round((await stat(file)).size / MB),
      generateSeconds: round(generateSeconds),
      bare,
      import: full,
      ratio: round(ratio),
      targets: { importPeakRssUnder500Mb: full.peakRssMb < 500, ratioAtLeastHalf: ratio >= 0.5 },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function inChild(phase: Phase, file: string): Promise<PhaseFigures> {
  return new Promise((resolve, reject) => {
    // fork reuses process.execArgv, so the child runs under the same tsx loader.
    const child = fork(__filename, ['--phase', phase, file], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: PhaseFigures | undefined;
    child.on('message', (message) => (figures = message as PhaseFigures));
    child.on('error', reject);
    child.on('exit', (code) =>
      figures && code === 0 ? resolve(figures) : reject(new Error(`${phase} phase exited with ${code}`)),
    );
  });
}

async function runPhase(phase: Phase, path: string): Promise<PhaseFigures> {
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 50);
  const file = await readFile(path);
  const started = performance.now();
  let rows = 0;
  let report: Record<string, number> | undefined;
  if (phase === 'bare') {
    rows = await bareParse(file);
  } else {
    const dnc = everyNth(33);
    const result = await importContacts({
      file,
      filename: 'contacts.xlsx',
      defaultCountry: 'TR',
      requiredVariables: ['amount', 'due_date'],
      isOnDnc: (numbers) => Promise.resolve(new Set(numbers.filter((n) => dnc(n)))),
    });
    const { total, valid, invalid, duplicates, dnc: onDnc } = result.report;
    rows = total;
    report = { total, valid, invalid, duplicates, dnc: onDnc };
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  return {
    rows,
    seconds: round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    // maxRSS is in kilobytes and covers the whole life of this child process.
    peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
    sampledPeakRssMb: round(sampledPeak / MB),
    ...(report ? { report } : {}),
  };
}

/** The floor: exceljs streaming reader with the options the importer uses, rows only iterated. */
async function bareParse(file: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows++;
  }
  return rows;
}

/** A deterministic "DNC list" holding about 1 number in n. */
function everyNth(n: number): (e164: string) => boolean {
  return (e164) => Number(e164.slice(-6)) % n === 0;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
