import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { activityDepsFromConfig } from '../../activities';
import { parseConfig, type AppConfig } from '../../infra/config';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../infra/simulator/server';
import { createDatabase, type Database } from '../../schema/database';
import { createOutdialWorker } from '../../worker/create-worker';

export const TEST_SECRETS = {
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  ELEVENLABS_WEBHOOK_SECRET: 'test-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'test-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'test-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'test-asterisk-webhook-token',
};

let runtimeQuieted = false;

export interface TestStack {
  config: AppConfig;
  app: INestApplication;
  /** The API's base URL (for supertest and the simulator's webhooks). */
  apiUrl: string;
  sim: Simulator;
  db: Database;
  client: Client;
  worker: Worker;
  taskQueue: string;
  /** Stops the worker (as a crash or deploy would) and starts a fresh one on the same task queue. */
  restartWorker(options?: { downMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole system against the shared dev server and Postgres: a worker on its own task queue, the
 * API on a random port and the provider simulator pointing its webhooks at that API.
 */
export async function startTestStack(
  options: { simulator?: Partial<SimulatorOptions>; env?: Record<string, string> } = {},
): Promise<TestStack> {
  if (!runtimeQuieted) {
    Runtime.install({ logger: { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: (m) => console.error(m) } });
    runtimeQuieted = true;
  }
  const taskQueue = `test-${randomUUID()}`;
  const databaseUrl = inject('databaseUrl');
  const temporalAddress = inject('temporalAddress');

  // The API needs the simulator's URL and the simulator needs the API's: bind the API first.
  const baseEnv = {
    ...TEST_SECRETS,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...options.env,
  };
  const db = createDatabase(databaseUrl);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });

  // Placeholders: the API only checks that these are configured; the worker gets the simulator's URL.
  const apiConfig = parseConfig({
    ...baseEnv,
    ELEVENLABS_BASE_URL: 'http://127.0.0.1:9',
    LABEL_MODEL_BASE_URL: 'http://127.0.0.1:9',
  });
  const app = await createApiApp({ config: apiConfig, db, temporal: client }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const sim = await startSimulator({
    webhookBaseUrl: apiUrl,
    elevenlabsWebhookSecret: TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET,
    elevenlabsToolSecret: TEST_SECRETS.ELEVENLABS_TOOL_SECRET,
    ultravoxWebhookSecret: TEST_SECRETS.ULTRAVOX_WEBHOOK_SECRET,
    asteriskWebhookToken: TEST_SECRETS.ASTERISK_WEBHOOK_TOKEN,
    ...options.simulator,
  });
  const config = parseConfig({
    ...baseEnv,
    ELEVENLABS_BASE_URL: sim.url,
    ULTRAVOX_BASE_URL: sim.url,
    ASTERISK_ARI_URL: `${sim.url}/ari`,
    LABEL_MODEL_BASE_URL: sim.url,
    PUBLIC_BASE_URL: apiUrl,
  });

  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const newWorker = () =>
    createOutdialWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: activityDepsFromConfig(db, config),
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
  let worker = await newWorker();
  let running = worker.run();
  const stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };

  const stack: TestStack = {
    config,
    app,
    apiUrl,
    sim,
    db,
    client,
    worker,
    taskQueue,
    async restartWorker({ downMs = 0 } = {}) {
      await stopWorker();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      worker = await newWorker();
      running = worker.run();
      stack.worker = worker;
    },
    async close() {
      await stopWorker();
      await nativeConnection.close();
      await sim.close();
      await app.close();
      await connection.close();
      await db.destroy();
    },
  };
  return stack;
}

export async function createTenant(
  stack: TestStack,
  name = 'Acme',
): Promise<{ tenantId: string; apiKey: string }> {
  const response = await fetch(`${stack.apiUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201)
    throw new Error(`tenant creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { tenantId: string; apiKey: string };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}
