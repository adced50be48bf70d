/**
 * Contact import benchmark: `npx tsx bench/import/main.ts [rows]` (default 100,000).
 *
 * Writes a realistic Turkish xlsx, starts a real Postgres (embedded in a temp dir, or
 * BENCH_DATABASE_URL), seeds a tenant with a DNC list, then runs (a) a bare exceljs streaming parse
 * that only iterates rows, (b) the store floor: that parse with each row COPYed into Postgres as it is
 * read, and (c) the upload path of `POST /v1/campaigns` (readUpload: parse, validate,
 * normalise, dedupe, DNC scrub in Postgres; storeDraft: campaign, stored sheet and contacts in one
 * transaction). Each runs in its own child process so that each peak RSS (getrusage maxRSS, plus
 * 50 ms samples) belongs to that phase alone; Postgres's own memory is sampled apart. Each child runs
 * its phase twice: the top-level figures are the first (cold) run, `warm` the second. Prints JSON.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { copyField, copyRows } from '../../schema/repositories/copy-rows';
import { CampaignConfigSchema } from '../../api/campaigns/campaign-config';
import { readUpload, storeDraft } from '../../api/campaigns/campaign-import';
import { XLSX_READER_OPTIONS } from '../../api/import/read-xlsx';
import { benchPostgres } from '../bench-postgres';
import { startSystem } from '../../infra/stack/system';
import { createDatabase, type Database } from '../../schema/database';
import { nationalNumber, writeWorkbook } from './generate';
import { PostgresMemory } from './postgres-memory';
import { report } from '../report';

type Phase = 'bare' | 'floor' | 'import';

interface PhaseFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
  /**
   * Import only: wall seconds reading (parse … DNC scrub) and storing, each with the CPU seconds this
   * process spent (main thread plus the phone worker), so time spent waiting on Postgres shows.
   */
  phases?: Record<'read' | 'store', { seconds: number; nodeCpuSeconds: number }>;
  report?: Record<string, number>;
  /** The same work run a second time in the same process. */
  warm?: Pick<PhaseFigures, 'seconds' | 'rowsPerSecond' | 'peakRssMb' | 'phases'>;
}

const MB = 1024 * 1024;
/** Numbers on the tenant's DNC list; about half of them occur in the file. */
const DNC_SIZE = 1000;

async function main(): Promise<void> {
  const [, , first, second] = process.argv;
  if (first === '--phase') {
    const [file, databaseUrl, tenantId] = process.argv.slice(4);
    const figures = await runPhase(second as Phase, file!, databaseUrl!, tenantId!);
    process.send!(figures);
    return;
  }

  const rows = first ? Number(first) : 100_000;
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`rows must be a positive integer, got ${first}`);
  const dir = await mkdtemp(join(tmpdir(), 'outdial-import-bench-'));
  const system = await startSystem({
    postgres: benchPostgres(),
    dbPoolSize: 2,
    log: (line) => console.error(line),
  });
  const { db, postgres } = system;
  try {
    const { tenantId, listedInFile } = await seedTenant(db, rows);
    const file = join(dir, 'contacts.xlsx');
    const started = performance.now();
    await writeWorkbook(file, rows);
    const generateSeconds = (performance.now() - started) / 1000;
    const bare = await inChild('bare', file, postgres.url, tenantId);
    const floor = await inChild('floor', file, postgres.url, tenantId);
    const postgresMemory = await PostgresMemory.watch(postgres.dataDir);
    const full = await inChild('import', file, postgres.url, tenantId);
    const postgresPeakPssMb = await postgresMemory?.stop();
    const ratio = full.rowsPerSecond / bare.rowsPerSecond;
    const warmRatio = full.warm!.rowsPerSecond / bare.warm!.rowsPerSecond;
    const result = {
      rows,
      fileMb: round((await stat(file)).size / MB),
      generateSeconds: round(generateSeconds),
      dncList: { size: DNC_SIZE, listedInFile },
      bare,
      storeFloor: {
        what: 'the same streaming parse, each row COPYed as read into a table without indexes: the least an import that stores what it reads costs',
        ...floor,
        ratio: round(floor.rowsPerSecond / bare.rowsPerSecond),
        warmRatio: round(floor.warm!.rowsPerSecond / bare.warm!.rowsPerSecond),
      },
      import: full,
      ...(postgresPeakPssMb === undefined ? {} : { postgresPeakPssMb }),
      ratio: round(ratio),
      warmRatio: round(warmRatio),
      targets: { importPeakRssUnder500Mb: full.peakRssMb < 500, ratioAtLeastHalf: ratio >= 0.5 },
    };
    report(
      'import',
      [
        { name: `bare parse (${rows} rows)`, value: bare.rowsPerSecond, unit: 'rows/s' },
        { name: `parse + COPY floor (${rows} rows)`, value: floor.rowsPerSecond, unit: 'rows/s' },
        { name: `import (${rows} rows)`, value: full.rowsPerSecond, unit: 'rows/s' },
        { name: 'import / bare parse', value: ratio, unit: '×' },
        { name: 'import peak RSS', value: full.peakRssMb, unit: 'MB' },
        { name: 'bare parse peak RSS', value: bare.peakRssMb, unit: 'MB' },
      ],
      result,
    );
  } finally {
    await system.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A tenant whose DNC list holds every 200th row's number (offset 100) plus numbers not in the file. */
async function seedTenant(db: Database, rows: number) {
  const { id: tenantId } = await db
    .insertInto('tenants')
    .values({ name: 'Import bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inFile: string[] = [];
  for (let i = 100; i < rows && inFile.length < DNC_SIZE / 2; i += 200)
    inFile.push(`+90${nationalNumber(i)}`);
  // 549 followed by fewer than seven significant digits: a prefix the generator never writes.
  const elsewhere = Array.from(
    { length: DNC_SIZE - inFile.length },
    (_, k) => `+90549${String(k).padStart(7, '0')}`,
  );
  await db
    .insertInto('do_not_call')
    .values(
      [...inFile, ...elsewhere].map((phone) => ({ tenant_id: tenantId, phone_e164: phone, source: 'bench' })),
    )
    .execute();
  return { tenantId, listedInFile: inFile.length };
}

function inChild(phase: Phase, file: string, databaseUrl: string, tenantId: string): Promise<PhaseFigures> {
  return new Promise((resolve, reject) => {
    // fork reuses process.execArgv, so the child runs under the same tsx loader.
    const child = fork(__filename, ['--phase', phase, file, databaseUrl, tenantId], {
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

async function runPhase(
  phase: Phase,
  path: string,
  databaseUrl: string,
  tenantId: string,
): Promise<PhaseFigures> {
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 50);
  const file = await readFile(path);
  // Cold: the first upload of a fresh process (modules, JIT, the phone worker's start). Warm: the
  // same upload again in that process, as a long-running API takes its next one.
  const cold = await timedPhase(phase, file, databaseUrl, tenantId);
  // maxRSS (kilobytes) is the peak over the process's life so far: here, of the cold run alone.
  const peakRssMb = round((process.resourceUsage().maxRSS * 1024) / MB);
  const sampledPeakRssMb = round(Math.max(sampledPeak, process.memoryUsage().rss) / MB);
  const warm = await timedPhase(phase, file, databaseUrl, tenantId);
  clearInterval(sampler);
  return {
    ...cold,
    peakRssMb,
    sampledPeakRssMb,
    warm: {
      seconds: warm.seconds,
      rowsPerSecond: warm.rowsPerSecond,
      // Over both runs: what a process that has taken two uploads reached.
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
      ...(warm.phases ? { phases: warm.phases } : {}),
    },
  };
}

async function timedPhase(phase: Phase, file: Buffer, databaseUrl: string, tenantId: string) {
  const started = performance.now();
  let rows: number;
  let detail: Pick<PhaseFigures, 'phases' | 'report'> = {};
  if (phase === 'bare') {
    rows = await bareParse(file);
  } else {
    const db = createDatabase(databaseUrl, 2);
    try {
      if (phase === 'floor') rows = await parseAndCopy(db, file);
      else {
        detail = await importAndStore(db, tenantId, file);
        rows = detail.report!.total!;
      }
    } finally {
      await db.destroy();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds), ...detail };
}

/** What `CampaignsService.create` does with an upload, timed step by step. */
async function importAndStore(db: Database, tenantId: string, file: Buffer) {
  const config = CampaignConfigSchema.parse({ name: 'Import bench', callType: 'BILLING_REMINDER' });
  const read = await timed(() =>
    readUpload(db, tenantId, { buffer: file, originalname: 'contacts.xlsx' }, config),
  );
  const store = await timed(() => storeDraft(db, tenantId, config, 'contacts.xlsx', read.value));
  const upload = read.value;
  const campaignId = store.value;
  const { total, valid, invalid, duplicates, dnc } = upload.imported.report;
  const { n } = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  if (Number(n) !== valid) throw new Error(`stored ${n} contacts, but the report counts ${valid} valid rows`);
  if (dnc === 0) throw new Error('the DNC scrub matched nothing: the seeded list misses the file');
  return {
    phases: { read: read.figures, store: store.figures },
    report: { total, valid, invalid, duplicates, dnc, stored: Number(n) },
  };
}

async function timed<T>(work: () => Promise<T>) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const { user, system } = process.cpuUsage(cpu);
  const figures = {
    seconds: round((performance.now() - started) / 1000),
    nodeCpuSeconds: round((user + system) / 1e6),
  };
  return { value, figures };
}

/** The floor: exceljs streaming reader with the options the importer uses, rows only iterated. */
async function bareParse(file: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), XLSX_READER_OPTIONS);
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows++;
  }
  return rows;
}

/**
 * The store floor: the bare parse, each row's values COPYed into an index-free table as it is read
 * (Postgres takes rows in while the file is still being parsed), in one transaction.
 */
async function parseAndCopy(db: Database, file: Buffer): Promise<number> {
  await sql`create table if not exists bench_import_floor (row_number integer not null, cells json not null)`.execute(
    db,
  );
  async function* lines(): AsyncGenerator<string> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), XLSX_READER_OPTIONS);
    for await (const worksheet of reader) {
      for await (const row of worksheet) yield `${row.number}\t${copyField(JSON.stringify(row.values))}\n`;
    }
  }
  return db
    .transaction()
    .execute((trx) => copyRows(trx, 'bench_import_floor', ['row_number', 'cells'], lines()));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
