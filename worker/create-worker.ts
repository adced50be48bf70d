import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

/** The bundle entry: it re-exports only workflow functions. */
export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

export interface OutdialWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The payload codec (temporalDataConverter): the same as the clients' of this namespace. */
  dataConverter: DataConverter;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests share one across workers); otherwise the workflows are bundled here. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createOutdialWorker(options: OutdialWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities: createActivities(options.deps),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    // Workflows mostly wait on timers and signals; a small cache keeps the RSS flat at scale.
    maxCachedWorkflows: 2000,
    // A call's workflow task holds its slot while its local activities (Postgres) run: with the
    // default 40 slots, a few hundred live calls queue their tasks behind each other's writes.
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentLocalActivityExecutions: 200,
    shutdownGraceTime: '10 seconds',
  });
}
