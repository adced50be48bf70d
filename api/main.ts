import { parseConfig } from '../infra/config/config';
import { createLogger, prettyLogs } from '../infra/logging/logger';
import { startTracing } from '../infra/tracing/tracing';
import { applyNamespaceRetention } from '../infra/config/namespace-retention';
import {
  connectTemporalClient,
  temporalConnectionOptions,
  temporalDataConverter,
} from '../infra/config/temporal-connection';
import { createDatabase, createSystemDatabase } from '../schema/database';
import { assertConfinedByRowSecurity } from '../schema/tenant-scope';
import { exitOnShutdownSignal } from '../infra/process/shutdown-signals';
import { createApiApp } from './create-app';
import { drainApi } from './drain';

/** What closing the app and its connections may take after the drain, before the process gives up. */
const CLOSE_MARGIN_SECONDS = 10;

/** Production API: `npm run api` (or `node dist/api/main.js`) against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main(): Promise<void> {
  const config = parseConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required by the API.');
  startTracing({ serviceName: 'outdial-api', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL, pretty: prettyLogs(config) });
  const db = createDatabase(config.DATABASE_URL);
  const systemDb = createSystemDatabase(config.DATABASE_URL, 5);
  if (config.NODE_ENV === 'production') await assertConfinedByRowSecurity(db);
  const { client: temporal, ...temporalConnection } = await connectTemporalClient(
    temporalConnectionOptions(config),
    {
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(config),
    },
  );
  // On an existing cluster the namespace keeps its own retention unless this is set.
  if (config.TEMPORAL_RETENTION_DAYS) await applyNamespaceRetention(temporal, config.TEMPORAL_RETENTION_DAYS);
  const app = await createApiApp({ config, db, systemDb, temporal }, { logger });
  await app.listen(config.PORT, '0.0.0.0');
  // Signals are handled here alone: where the app runs beside other parts (npm start, tests), its owner closes them in order.
  const { API_DRAIN_DELAY_SECONDS: delaySeconds, API_SHUTDOWN_GRACE_SECONDS: graceSeconds } = config;
  exitOnShutdownSignal(
    async (signal) => {
      console.error(
        `api: ${signal}: draining (${delaySeconds} s not ready, then ${graceSeconds} s for requests in flight)`,
      );
      await drainApi(app, { delaySeconds, graceSeconds });
      await temporalConnection.close();
      await Promise.all([db.destroy(), systemDb.destroy()]);
    },
    { name: 'api', timeoutMs: (delaySeconds + graceSeconds + CLOSE_MARGIN_SECONDS) * 1000 },
  );
  logger.info({ port: config.PORT }, 'Outdial API listening (docs at /docs)');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
