import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** What a worker needs to export its workflows' spans (they are made inside the workflow sandbox). */
export interface Tracing {
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

const NO_TRACING: Tracing = {
  resource: new Resource({}),
  spanProcessor: new NoopSpanProcessor(),
  shutdown: () => Promise.resolve(),
};

let installed: Tracing | undefined;

/**
 * Traces for this process: the HTTP server's requests, fetch() to the providers, and (through the
 * Temporal interceptors) workflow starts, signals, workflow runs and activities. Exported over
 * OTLP/HTTP to `otlpEndpoint`, or to `exporter` (tests); with neither, nothing is recorded. Once per
 * process, as the global tracer provider is: a second call returns the first's.
 */
export function startTracing(options: {
  serviceName: string;
  otlpEndpoint?: string | undefined;
  exporter?: SpanExporter;
}): Tracing {
  if (installed) return installed;
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : options.otlpEndpoint
      ? new BatchSpanProcessor(
          new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
        )
      : undefined;
  if (!spanProcessor) return NO_TRACING;
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Health probes and metric scrapes would bury the requests that matter.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new UndiciInstrumentation(),
    ],
  });
  // The instrumentation patches node:http when it is next required: an entry point that loaded the
  // API's modules first (express, Nest) would otherwise serve requests without server spans.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('node:http');
  installed = { resource, spanProcessor, shutdown: () => provider.shutdown() };
  return installed;
}

/** This process's tracing: what startTracing installed, else none (spans dropped). */
export function processTracing(): Tracing {
  return installed ?? NO_TRACING;
}

/** Outdial's own spans (the webhook inbox), beside the instrumented libraries'. */
export function outdialTracer(): Tracer {
  return trace.getTracer('outdial');
}
