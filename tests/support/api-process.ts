import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem } from '../../infra/stack/system';

/**
 * An API in its own process, so a test can run several behind the simulator and SIGKILL one while
 * webhooks arrive. Configured by the usual environment (PORT, TEMPORAL_ADDRESS, DATABASE_URL);
 * prints "ready" once it listens.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const { TEMPORAL_ADDRESS, DATABASE_URL, PORT } = process.env;
  if (!TEMPORAL_ADDRESS || !DATABASE_URL || !PORT)
    throw new Error('TEMPORAL_ADDRESS, DATABASE_URL and PORT are required');
  const system = await startSystem({
    engine: { kind: 'external', address: TEMPORAL_ADDRESS },
    postgres: { url: DATABASE_URL },
    env: process.env,
    api: { port: Number(PORT) },
    dbPoolSize: 4,
  });
  process.once('SIGTERM', () => void system.close().then(() => process.exit(0)));
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
