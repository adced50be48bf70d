import { readFileSync } from 'node:fs';
import type { BenchResults } from './run';

/**
 * Two result files of `npm run bench` side by side, figure by figure:
 *
 *   npx tsx bench/compare.ts bench/results/<before>.json bench/results/<after>.json
 *
 * The ratio is after / before; a figure only one file has is shown with the other side empty.
 */
const [beforePath, afterPath] = process.argv.slice(2);
if (!beforePath || !afterPath) {
  console.error('usage: npx tsx bench/compare.ts <before.json> <after.json>');
  process.exit(2);
}
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
const before = read(beforePath);
const after = read(afterPath);
const key = (f: BenchResults['figures'][number]) => `${f.bench} ${f.figure}`;
const valuesOf = (results: BenchResults) => new Map(results.figures.map((f) => [key(f), f]));
const beforeValues = valuesOf(before);
const afterValues = valuesOf(after);
const names = [...new Set([...beforeValues.keys(), ...afterValues.keys()])].sort();
const width = Math.max(6, ...names.map((n) => n.length));
console.log(`before: ${before.commit} ${before.date} (load ${before.loadAverage.join(' ')})`);
console.log(`after:  ${after.commit} ${after.date} (load ${after.loadAverage.join(' ')})\n`);
console.log(
  `${'figure'.padEnd(width)} ${'before'.padStart(10)} ${'after'.padStart(10)} ${'ratio'.padStart(7)}  unit`,
);
for (const name of names) {
  const b = beforeValues.get(name);
  const a = afterValues.get(name);
  const ratio = a && b && b.value !== 0 ? String(Math.round((a.value / b.value) * 100) / 100) : '';
  const cell = (f: typeof a) => (f ? String(f.value) : '').padStart(10);
  console.log(`${name.padEnd(width)} ${cell(b)} ${cell(a)} ${ratio.padStart(7)}  ${(a ?? b)!.unit}`);
}
