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
import { createApiApp } from './create-app';

/** Production API: `npm run api` against TEMPORAL_ADDRESS and DATABASE_URL. */
async function main(): Promise<void> {
  const config = parseConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required by the API.');
  startTracing({ serviceName: 'outdial-api', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL, pretty: prettyLogs(config) });
  const db = createDatabase(config.DATABASE_URL);
  const systemDb = createSystemDatabase(config.DATABASE_URL, 5);
  if (config.NODE_ENV === 'production') await assertConfinedByRowSecurity(db);
  const { client: temporal } = await connectTemporalClient(temporalConnectionOptions(config), {
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });
  // On an existing cluster the namespace keeps its own retention unless this is set.
  if (config.TEMPORAL_RETENTION_DAYS) await applyNamespaceRetention(temporal, config.TEMPORAL_RETENTION_DAYS);
  const app = await createApiApp({ config, db, systemDb, temporal }, { logger });
  // Here alone: where the app runs beside other parts (npm start, tests), its owner closes them in order.
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  logger.info({ port: config.PORT }, 'Outdial API listening (docs at /docs)');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
