import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FIGURE_KEY } from './report';

/** What `npm run bench` writes to bench/results/<date>-<commit>.json, for bench/compare.ts. */
export interface BenchResults {
  date: string;
  commit: string;
  cpus: number;
  /** The machine's 1, 5 and 15 minute load averages when the run began. */
  loadAverage: number[];
  benches: { name: string; ok: boolean; seconds: number }[];
  figures: { bench: string; figure: string; value: number; unit: string }[];
}

/**
 * `npm run bench` runs every benchmark (`bench/<name>/main.ts`) one after another, each in its own
 * process so one's memory does not colour the next, and keeps the figure lines they print in a
 * dated result file; `npm run bench -- import` runs one (extra arguments go to it).
 */
const root = __dirname;

async function main(): Promise<void> {
  const available = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'main.ts')))
    .map((entry) => entry.name)
    .sort();
  const [name, ...rest] = process.argv.slice(2);
  const selected = name ? [name] : available;
  const unknown = selected.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
    process.exit(2);
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
    cpus: cpus().length,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    benches: [],
    figures: [],
  };
  for (const bench of selected) {
    console.log(`\n=== bench/${bench}`);
    const started = Date.now();
    const ok = await runBench(bench, rest, (figure) => results.figures.push(figure));
    results.benches.push({ name: bench, ok, seconds: Math.round((Date.now() - started) / 1000) });
  }
  const dir = join(root, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date.slice(0, 19).replace(/:/g, '')}-${results.commit}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${results.figures.length} figures written to ${file}`);
  process.exit(results.benches.every((b) => b.ok) ? 0 : 1);
}

/** Runs one benchmark, echoing its output, and hands back each figure line it prints. */
function runBench(
  bench: string,
  args: string[],
  onFigure: (figure: BenchResults['figures'][number]) => void,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, bench, 'main.ts'), ...args], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const figure = parseFigure(line);
    if (figure) onFigure(figure);
  });
  return new Promise<boolean>((resolve) => child.once('exit', (code) => resolve(code === 0)));
}

function parseFigure(line: string): BenchResults['figures'][number] | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const { bench, value, unit } = parsed;
    const figure = parsed[FIGURE_KEY];
    if (typeof bench !== 'string' || typeof figure !== 'string' || typeof value !== 'number')
      return undefined;
    return { bench, figure, value, unit: typeof unit === 'string' ? unit : '' };
  } catch {
    return undefined;
  }
}

void main();
