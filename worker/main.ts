import { NativeConnection } from '@temporalio/worker';
import { activityDepsFromConfig } from '../activities';
import { parseConfig } from '../infra/config/config';
import { temporalConnectionOptions, temporalDataConverter } from '../infra/config/temporal-connection';
import { createDatabase } from '../schema/database';
import { createOutdialWorker } from './create-worker';

/** Production worker: `npm run worker` against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main(): Promise<void> {
  const config = parseConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required by the worker.');
  const db = createDatabase(config.DATABASE_URL);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createOutdialWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter: temporalDataConverter(config),
    deps: activityDepsFromConfig(db, config),
  });
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks finish (shutdownGraceTime).
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
