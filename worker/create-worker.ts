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
import { processTracing } from '../infra/tracing/tracing';

/** The bundle entry: it re-exports only workflow functions. */
export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

/**
 * Bundled with the workflows (bundleWorkflowCode's workflowInterceptorModules, for a prebuilt
 * bundle): the log context every workflow's lines carry, and its spans.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  join(__dirname, '..', 'workflows', 'interceptors', 'log-context.ts'),
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
}

export async function createOutdialWorker(options: OutdialWorkerOptions): Promise<Worker> {
  const tracing = processTracing();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities: createActivities(options.deps),
    // A prebuilt bundle holds its interceptor modules already (WORKFLOW_INTERCEPTOR_MODULES).
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    interceptors: {
      ...(options.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
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
    shutdownGraceTime: '10 seconds',
  });
}
