import { buildConsole, ensureConsoleBuilt } from './build-console';
import { generateClient } from './generate-client';
import { WEB_ROOT } from './vite-config';
import { join } from 'node:path';

/**
 * `npm run web:build` (always), `--if-stale` (npm start, the tests), `--client-only` (typecheck: the
 * generated types the console is checked against, without bundling).
 */
const args = new Set(process.argv.slice(2));
const log = (line: string) => console.log(`[console] ${line}`);
const run = args.has('--client-only')
  ? generateClient(join(WEB_ROOT, '..'))
  : args.has('--if-stale')
    ? ensureConsoleBuilt(log)
    : buildConsole(log);
run.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
