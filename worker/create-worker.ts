import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { logContextActivityInterceptor } from '../infra/logging/activity-interceptor';
import { MODULE_EXTENSION, RUNS_COMPILED } from '../infra/process/compiled';
import { processTracing } from '../infra/tracing/tracing';

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

/**
 * Bundled with the workflows (bundleWorkflowCode's workflowInterceptorModules, for a prebuilt
 * bundle): the log context every workflow's lines carry, and its spans.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  join(__dirname, '..', 'workflows', 'interceptors', `log-context${MODULE_EXTENSION}`),
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

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
  const tracing = processTracing();
  const code = workflowCode(options.workflowBundle);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities: createActivities(options.deps),
    ...code,
    interceptors: {
      // A prebuilt bundle holds its interceptor modules already (WORKFLOW_INTERCEPTOR_MODULES).
      ...(code.workflowsPath ? { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } : {}),
      activity: [
        logContextActivityInterceptor,
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    // The workflows' interceptor always calls this sink; without tracing it drops the spans.
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    // Workflows mostly wait on timers and signals; a small cache keeps the RSS flat at scale.
    maxCachedWorkflows: 2000,
    // A call's workflow task holds its slot while its local activities (Postgres) run: with the
    // default 40 slots, a few hundred live calls queue their tasks behind each other's writes.
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentLocalActivityExecutions: 200,
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 10} seconds`,
  });
}
