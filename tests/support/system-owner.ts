import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem } from '../../infra/stack/system';

/**
 * A dev server and an embedded Postgres on the data directory given as argument, as `npm start`
 * keeps them, in a process a test can SIGKILL. Prints "ready" once both run.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const [dataDir] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: system-owner.ts <dataDir>');
  await startSystem({ engine: 'dev', postgres: 'embedded', dataDir });
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
