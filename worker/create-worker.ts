import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { MODULE_EXTENSION, RUNS_COMPILED } from '../infra/process/compiled';

/** The bundle entry: it re-exports only workflow functions. */
export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', `index${MODULE_EXTENSION}`);

/** Written by `npm run build` beside the compiled worker (infra/build/build.main.ts). */
export const BUILT_WORKFLOW_BUNDLE = join(__dirname, 'workflow-bundle.js');

/**
 * Compiled, the worker loads the bundle the build made, so no webpack runs at start-up and every
 * worker of a release runs the same code; under tsx it bundles the sources.
 */
function workflowCode(bundle: WorkerOptions['workflowBundle']): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (bundle) return { workflowBundle: bundle };
  if (!RUNS_COMPILED) return { workflowsPath: WORKFLOWS_PATH };
  if (!existsSync(BUILT_WORKFLOW_BUNDLE)) throw new Error(`${BUILT_WORKFLOW_BUNDLE} is missing: run \`npm run build\`.`);
  return { workflowBundle: { codePath: BUILT_WORKFLOW_BUNDLE } };
}

export interface OutdialWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The payload codec (temporalDataConverter): the same as the clients' of this namespace. */
  dataConverter: DataConverter;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests share one across workers); otherwise the workflows are bundled here. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** After shutdown() (SIGTERM), how long in-flight activities may run before they are cancelled. */
  shutdownGraceSeconds?: number;
}

export async function createOutdialWorker(options: OutdialWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities: createActivities(options.deps),
    ...workflowCode(options.workflowBundle),
    // Workflows mostly wait on timers and signals; a small cache keeps the RSS flat at scale.
    maxCachedWorkflows: 2000,
    // A call's workflow task holds its slot while its local activities (Postgres) run: with the
    // default 40 slots, a few hundred live calls queue their tasks behind each other's writes.
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentLocalActivityExecutions: 200,
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 10} seconds`,
  });
}
