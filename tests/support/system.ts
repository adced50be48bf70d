import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { activityDepsFromConfig } from '../../activities';
import { createApiApp } from '../../api/create-app';
import { parseConfig } from '../../infra/config';
import { startPostgres } from '../../infra/postgres';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../infra/simulator/server';
import { startTemporalDevServer } from '../../infra/temporal-dev-server';
import { createDatabase, type Database } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import { createOutdialWorker } from '../../worker/create-worker';

const SECRETS = {
  ADMIN_TOKEN: 'local-admin-token-0123456789',
  ELEVENLABS_WEBHOOK_SECRET: 'local-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'local-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'local-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'local-asterisk-webhook-token',
};

export interface LocalRig {
  sim: Simulator;
  taskQueue: string;
}

export interface LocalSystem<R extends string> {
  client: Client;
  db: Database;
  apiUrl: string;
  tenantId: string;
  apiKey: string;
  rigs: Record<R, LocalRig>;
  close(): Promise<void>;
}

/**
 * The whole system outside vitest, for scripts (history recording, benchmarks): a fresh dev server,
 * an embedded Postgres, the API, and per rig a simulator with its own worker and task queue.
 */
export async function startLocalSystem<R extends string>(
  rigOptions: Record<R, Partial<SimulatorOptions>>,
  log: (line: string) => void = () => {},
): Promise<LocalSystem<R>> {
  const quiet = () => {};
  Runtime.install({
    logger: {
      log: quiet,
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: quiet,
      error: (m) => console.error(m),
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'outdial-local-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
  };
  try {
    const temporal = await startTemporalDevServer({ uiPort: false, log });
    cleanups.unshift(() => temporal.stop());
    const postgres = await startPostgres({ dataDir: join(dir, 'pg'), persistent: false, log });
    cleanups.unshift(() => postgres.stop());
    const db = createDatabase(postgres.url);
    cleanups.unshift(() => db.destroy());
    await migrateToLatest(db);

    const connection = await Connection.connect({ address: temporal.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection });
    const env = {
      ...SECRETS,
      NODE_ENV: 'test',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
    };
    const app = await createApiApp(
      { config: parseConfig({ ...env, ELEVENLABS_BASE_URL: 'http://127.0.0.1:9' }), db, temporal: client },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    cleanups.unshift(() => app.close());
    const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    cleanups.unshift(() => nativeConnection.close());
    const rigs = {} as Record<R, LocalRig>;
    for (const [rig, simOptions] of Object.entries(rigOptions) as [R, Partial<SimulatorOptions>][]) {
      const sim = await startSimulator({
        webhookBaseUrl: apiUrl,
        elevenlabsWebhookSecret: SECRETS.ELEVENLABS_WEBHOOK_SECRET,
        elevenlabsToolSecret: SECRETS.ELEVENLABS_TOOL_SECRET,
        ultravoxWebhookSecret: SECRETS.ULTRAVOX_WEBHOOK_SECRET,
        asteriskWebhookToken: SECRETS.ASTERISK_WEBHOOK_TOKEN,
        ...simOptions,
      });
      cleanups.unshift(() => sim.close());
      const taskQueue = `local-${rig}`;
      const config = parseConfig({
        ...env,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ELEVENLABS_BASE_URL: sim.url,
        PUBLIC_BASE_URL: apiUrl,
      });
      const worker = await createOutdialWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        deps: activityDepsFromConfig(db, config),
      });
      const running = worker.run();
      cleanups.unshift(async () => {
        worker.shutdown();
        await running;
      });
      rigs[rig] = { sim, taskQueue };
    }

    const admin = await fetch(`${apiUrl}/v1/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Local' }),
    });
    const { tenantId, apiKey } = (await admin.json()) as { tenantId: string; apiKey: string };
    return { client, db, apiUrl, tenantId, apiKey, rigs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
