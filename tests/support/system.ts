import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';

import { startLocalStack, type LocalStack } from '../../infra/stack/local-stack';
import { startPostgres } from '../../infra/stack/postgres';
import type { Simulator, SimulatorOptions } from '../../infra/dev/simulator/server';
import { startTemporalDevServer } from '../../infra/stack/temporal-dev-server';
import { createDatabase, type Database } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';

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
 * an embedded Postgres and, per rig, Outdial (API, simulator, worker) on its own task queue.
 */
export async function startLocalSystem<R extends string>(
  rigOptions: Record<R, Partial<SimulatorOptions>>,
  log: (line: string) => void = () => {},
): Promise<LocalSystem<R>> {
  installQuietRuntime();
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
    const migrator = createDatabase(postgres.url, 1);
    await migrateToLatest(migrator);
    await migrator.destroy();

    const stacks: LocalStack[] = [];
    const rigs = {} as Record<R, LocalRig>;
    for (const [rig, simulator] of Object.entries(rigOptions) as [R, Partial<SimulatorOptions>][]) {
      const stack = await startLocalStack({
        temporalAddress: temporal.address,
        databaseUrl: postgres.url,
        env: { ...SECRETS, NODE_ENV: 'test' },
        taskQueue: `local-${rig}`,
        simulator,
      });
      cleanups.unshift(() => stack.close());
      stacks.push(stack);
      rigs[rig] = { sim: stack.sim!, taskQueue: stack.config.TEMPORAL_TASK_QUEUE };
    }
    const [first] = stacks;
    if (!first) throw new Error('startLocalSystem needs at least one rig');

    const admin = await fetch(`${first.apiUrl}/v1/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Local' }),
    });
    const { tenantId, apiKey } = (await admin.json()) as { tenantId: string; apiKey: string };
    return { client: first.client, db: first.db, apiUrl: first.apiUrl, tenantId, apiKey, rigs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
