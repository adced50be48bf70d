import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { activityDepsFromConfig } from '../../activities';
import { createApiApp } from '../../api/create-app';
import { createDatabase, type Database } from '../../schema/database';
import { createOutdialWorker } from '../../worker/create-worker';
import { parseConfig, type AppConfig } from '../config/config';
import { startSimulator, type Simulator, type SimulatorOptions } from '../dev/simulator/server';
import { connectTemporalClient } from '../config/temporal-connection';

export interface LocalStackOptions {
  temporalAddress: string;
  databaseUrl: string;
  /** Secrets and overrides, as the environment would give them. */
  env: Record<string, string | undefined>;
  taskQueue?: string;
  /** 0 (the default) picks a free port. */
  apiPort?: number;
  apiLogs?: boolean;
  /** The provider simulator stands in for every provider without credentials; false: none. */
  simulator?: Partial<SimulatorOptions> | false;
  /** false: the caller runs the worker itself (in another process, say). */
  worker?: { workflowBundle?: WorkerOptions['workflowBundle'] } | false;
  dbPoolSize?: number;
}

export interface LocalStack {
  config: AppConfig;
  app: INestApplication;
  apiUrl: string;
  sim: Simulator | undefined;
  db: Database;
  client: Client;
  worker: Worker | undefined;
  /** Stops the worker (as a crash or deploy would) and starts a fresh one on the same task queue. */
  restartWorker(options?: { downMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Where the simulator serves each provider the environment has no credentials for. */
function simulatorUrls(sim: Simulator, env: LocalStackOptions['env']): Record<string, string> {
  const urls: Record<string, string> = {};
  if (!env.ELEVENLABS_API_KEY) urls.ELEVENLABS_BASE_URL = sim.url;
  if (!env.ULTRAVOX_API_KEY) urls.ULTRAVOX_BASE_URL = env.ULTRAVOX_BASE_URL ?? sim.url;
  if (!env.ASTERISK_ARI_PASSWORD) urls.ASTERISK_ARI_URL = env.ASTERISK_ARI_URL ?? `${sim.url}/ari`;
  urls.LABEL_MODEL_BASE_URL = env.LABEL_MODEL_BASE_URL ?? sim.url;
  return urls;
}

/**
 * Outdial's own parts in one process — the API, the provider simulator and a worker — around a
 * Temporal server and a Postgres that already run. `npm start`, the test stack, the replay recorder
 * and the benchmarks all start the system this way; production runs `npm run api` and `npm run worker`.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    cleanups.length = 0;
  };
  try {
    const db = createDatabase(options.databaseUrl, options.dbPoolSize);
    cleanups.push(() => db.destroy());
    const { env } = options;
    const sim =
      options.simulator === false
        ? undefined
        : await startSimulator({
            // Retargeted at the API once it listens.
            webhookBaseUrl: 'http://127.0.0.1:9',
            elevenlabsWebhookSecret: env.ELEVENLABS_WEBHOOK_SECRET ?? '',
            elevenlabsToolSecret: env.ELEVENLABS_TOOL_SECRET ?? '',
            ultravoxWebhookSecret: env.ULTRAVOX_WEBHOOK_SECRET ?? '',
            asteriskWebhookToken: env.ASTERISK_WEBHOOK_TOKEN ?? '',
            ...options.simulator,
          });
    if (sim) cleanups.push(() => sim.close());
    const settings = {
      ...env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
      ...(sim ? simulatorUrls(sim, env) : {}),
    };

    const apiConfig = parseConfig(settings);
    const temporal = await connectTemporalClient(
      { address: options.temporalAddress },
      apiConfig.TEMPORAL_NAMESPACE,
    );
    cleanups.push(() => temporal.close());
    const { client } = temporal;
    const app = await createApiApp(
      { config: apiConfig, db, temporal: client },
      { logger: options.apiLogs ?? false },
    );
    await app.listen(options.apiPort ?? 0, '127.0.0.1');
    cleanups.push(() => app.close());
    const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    sim?.retarget(apiUrl);
    const config = parseConfig({ ...settings, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? apiUrl });

    const stack: LocalStack = {
      config,
      app,
      apiUrl,
      sim,
      db,
      client,
      worker: undefined,
      restartWorker: () => Promise.reject(new Error('this stack runs no worker')),
      close,
    };
    if (options.worker !== false) {
      const nativeConnection = await NativeConnection.connect({ address: options.temporalAddress });
      const bundle = options.worker?.workflowBundle;
      const newWorker = () =>
        createOutdialWorker({
          connection: nativeConnection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          deps: activityDepsFromConfig(db, config),
          ...(bundle ? { workflowBundle: bundle } : {}),
        });
      let worker = await newWorker();
      let running = worker.run();
      const stopWorker = async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      };
      // Stopped before the API and the simulator, so no activity outlives what it calls.
      cleanups.push(() => nativeConnection.close(), stopWorker);
      stack.worker = worker;
      stack.restartWorker = async ({ downMs = 0 } = {}) => {
        await stopWorker();
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        worker = await newWorker();
        running = worker.run();
        stack.worker = worker;
      };
    }
    return stack;
  } catch (error) {
    await close();
    throw error;
  }
}
