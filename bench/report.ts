/** One measured figure of a benchmark: what `npm run bench` keeps and `bench/compare.ts` compares. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Marks a figure's line on stdout, so bench/run.ts can pick them out of a benchmark's output. */
export const FIGURE_KEY = 'figure';

/**
 * Prints one JSON line per figure and a table of them on stdout; the benchmark's full result, when
 * given, goes to stderr as pretty JSON for a reader who wants the detail behind the figures.
 */
export function report(bench: string, figures: Figure[], details?: unknown): void {
  if (details !== undefined) process.stderr.write(`${JSON.stringify(details, null, 2)}\n`);
  for (const { name, value, unit } of figures) {
    console.log(JSON.stringify({ bench, [FIGURE_KEY]: name, value: rounded(value), unit }));
  }
  const width = Math.max(6, ...figures.map((f) => f.name.length));
  console.log(`\n${bench.padEnd(width)} ${'value'.padStart(12)}  unit`);
  for (const { name, value, unit } of figures) {
    console.log(`${name.padEnd(width)} ${String(rounded(value)).padStart(12)}  ${unit}`);
  }
}

const rounded = (value: number) => Math.round(value * 100) / 100;
