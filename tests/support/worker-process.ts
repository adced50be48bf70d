import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem } from '../../infra/stack/system';

/**
 * A worker in its own process, so a test can SIGKILL it mid-activity. Configured by the usual
 * environment plus WORKFLOW_BUNDLE_PATH (the test stack's prebuilt bundle); prints "ready" once polling.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const { TEMPORAL_ADDRESS, DATABASE_URL, WORKFLOW_BUNDLE_PATH } = process.env;
  if (!TEMPORAL_ADDRESS || !DATABASE_URL) throw new Error('TEMPORAL_ADDRESS and DATABASE_URL are required');
  const system = await startSystem({
    engine: { kind: 'external', address: TEMPORAL_ADDRESS },
    postgres: { url: DATABASE_URL },
    env: process.env,
    workers: WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } } : {},
    // Tests need few connections; a benchmark's worker asks for more.
    dbPoolSize: Number(process.env.WORKER_DB_POOL_SIZE ?? 2),
  });
  process.once('SIGTERM', () => void system.close().then(() => process.exit(0)));
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
