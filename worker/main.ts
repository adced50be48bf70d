import { NativeConnection, Runtime } from '@temporalio/worker';
import { runtimeMetricsTelemetry } from '../infra/metrics/runtime-metrics';
import { activityDepsFromConfig } from '../activities';
import { parseConfig } from '../infra/config/config';
import { createLogger, prettyLogs } from '../infra/logging/logger';
import { temporalLogger } from '../infra/logging/temporal-logger';
import { startTracing } from '../infra/tracing/tracing';
import { temporalConnectionOptions, temporalDataConverter } from '../infra/config/temporal-connection';
import { createSystemDatabase } from '../schema/database';
import { createOutdialWorker } from './create-worker';
import { runUntilSignalled } from './graceful-shutdown';
import { startWorkerMetricsServer } from './metrics-server';

/** Production worker: `npm run worker` (or `node dist/worker/main.js`) against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main(): Promise<void> {
  const config = parseConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required by the worker.');
  startTracing({ serviceName: 'outdial-worker', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL, pretty: prettyLogs(config) });
  // The worker's, Core's, every activity's and (through the SDK's sink) every workflow's lines. The
  // signals are handled by runUntilSignalled, which also decides the exit code.
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: {
      ...runtimeMetricsTelemetry(config.TEMPORAL_METRICS_PORT),
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
    },
    shutdownSignals: [],
  });
  const metrics = await startWorkerMetricsServer(config.WORKER_METRICS_PORT, config.METRICS_TOKEN);
  // Activities act for every tenant's workflows, by call and campaign id.
  const db = createSystemDatabase(config.DATABASE_URL);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createOutdialWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dataConverter: temporalDataConverter(config),
    deps: activityDepsFromConfig(db, config),
    shutdownGraceSeconds: config.WORKER_SHUTDOWN_GRACE_SECONDS,
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'Outdial worker polling');
  await runUntilSignalled(worker, {
    graceSeconds: config.WORKER_SHUTDOWN_GRACE_SECONDS,
    close: async () => {
      await connection.close();
      await db.destroy();
      metrics.close();
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
