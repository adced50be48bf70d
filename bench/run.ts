import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench` runs every benchmark (`bench/<name>/main.ts`) one after another, each in its own
 * process so one's memory does not colour the next; `npm run bench -- import` runs one.
 */
const root = __dirname;
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
let failed = false;
for (const bench of selected) {
  console.log(`\n=== bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, bench, 'main.ts'), ...rest], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
