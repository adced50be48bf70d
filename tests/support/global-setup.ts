import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../infra/config/temporal-connection';
import { chosenEngine } from '../../infra/stack/engine-choice';
import { startSystem } from '../../infra/stack/system';
import { ensureConsoleBuilt } from '../../infra/web/build-console';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The tables' owner, for fixtures and assertions. */
    databaseUrl: string;
    /** The app's role, which row-level security confines. */
    appDatabaseUrl: string;
    workflowBundlePath: string;
  }
}

/**
 * One real Temporal (the dev server unless OUTDIAL_TEMPORAL_ENGINE says otherwise), one real
 * Postgres (embedded unless TEST_DATABASE_URL is given) and one workflow bundle for every stack
 * test file.
 */
interface SetupContext {
  provide<K extends keyof import('vitest').ProvidedContext>(
    key: K,
    value: import('vitest').ProvidedContext[K],
  ): void;
}

export default async function setup(project: SetupContext): Promise<() => Promise<void>> {
  const log = (line: string) => console.log(`[test-stack] ${line}`);
  // The browser tests open the console the API serves from web/dist, built here when stale.
  const [system] = await Promise.all([
    startSystem({
      // OUTDIAL_TEMPORAL_ENGINE=server runs every stack test on the real Temporal server.
      engine: chosenEngine([], process.env),
      postgres: process.env.TEST_DATABASE_URL
        ? { url: process.env.TEST_DATABASE_URL, appUrl: process.env.TEST_APP_DATABASE_URL, migrate: true }
        : 'embedded',
      log,
    }),
    ensureConsoleBuilt(log),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'outdial-test-bundle-'));
  const stop = async () => {
    await system.close();
    await rm(dir, { recursive: true, force: true });
  };
  const bundlePath = join(dir, 'workflow-bundle.js');
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: quietLogger,
    });
    await writeFile(bundlePath, code);
  } catch (error) {
    await stop();
    throw error;
  }

  project.provide('temporalAddress', system.temporal.address);
  project.provide('databaseUrl', system.postgres.url);
  project.provide('appDatabaseUrl', system.postgres.appUrl);
  project.provide('workflowBundlePath', bundlePath);

  return stop;
}

const noop = () => {};
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (m: string) => console.error(m),
  log: noop,
};
