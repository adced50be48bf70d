import { NativeConnection } from '@temporalio/worker';
import { activityDepsFromConfig } from '../../activities';
import { parseConfig } from '../../infra/config/config';
import { createDatabase } from '../../schema/database';
import { createOutdialWorker } from '../../worker/create-worker';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';

/**
 * A worker in its own process, so a test can SIGKILL it mid-activity. Configured by the usual
 * environment plus WORKFLOW_BUNDLE_PATH (the test stack's prebuilt bundle); prints "ready" once polling.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const config = parseConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const db = createDatabase(config.DATABASE_URL, 2);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createOutdialWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: activityDepsFromConfig(db, config),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  const running = worker.run();
  console.log('ready');
  await running;
  await connection.close();
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
