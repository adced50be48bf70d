import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startPostgresProcess } from '../../infra/stack/postgres.process';
import { startTemporalDevServer } from '../../infra/stack/temporal-dev-server';
import { createDatabase } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

/**
 * One real Temporal dev server, one real Postgres (embedded unless TEST_DATABASE_URL is given) and
 * one workflow bundle for every stack test file.
 */
interface SetupContext {
  provide<K extends keyof import('vitest').ProvidedContext>(key: K, value: import('vitest').ProvidedContext[K]): void;
}

export default async function setup(project: SetupContext): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'outdial-test-'));
  const log = (line: string) => console.log(`[test-stack] ${line}`);
  const started = await Promise.allSettled([
    startTemporalDevServer({ uiPort: false, log }),
    process.env.TEST_DATABASE_URL
      ? Promise.resolve({ url: process.env.TEST_DATABASE_URL, embedded: false, stop: async () => {} })
      : startPostgresProcess({ dataDir: join(dir, 'pg') }),
  ]);
  const stopAll = async () => {
    for (const result of started) if (result.status === 'fulfilled') await result.value.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const [temporalResult, postgresResult] = started;
  if (temporalResult.status === 'rejected' || postgresResult.status === 'rejected') {
    await stopAll();
    throw temporalResult.status === 'rejected' ? temporalResult.reason : (postgresResult as PromiseRejectedResult).reason;
  }
  const temporal = temporalResult.value;
  const postgres = postgresResult.value;
  const bundlePath = join(dir, 'workflow-bundle.js');
  try {
    const db = createDatabase(postgres.url, 1);
    await migrateToLatest(db).finally(() => db.destroy());
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
    await writeFile(bundlePath, code);
  } catch (error) {
    await stopAll();
    throw error;
  }

  project.provide('temporalAddress', temporal.address);
  project.provide('databaseUrl', postgres.url);
  project.provide('workflowBundlePath', bundlePath);

  return stopAll;
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m), log: noop };
