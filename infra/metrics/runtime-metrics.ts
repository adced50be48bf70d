import type { TelemetryOptions } from '@temporalio/worker';

/** Where this process's Temporal runtime serves its Prometheus text, once installed with metrics. */
let servedAt: string | undefined;

/**
 * The Temporal runtime's metrics: the SDK's own (workflow task and activity latency, task slots,
 * sticky cache, polls) and what workflows record through `metricMeter` (workflows/call-metrics.ts),
 * served on loopback for this process's metrics endpoint to include.
 */
export function runtimeMetricsTelemetry(port: number): TelemetryOptions {
  servedAt = `127.0.0.1:${port}`;
  return {
    metrics: {
      prometheus: {
        bindAddress: servedAt,
        countersTotalSuffix: true,
        unitSuffix: true,
        useSecondsForDurations: true,
        // A person picks up within a minute; the runtime's default buckets are for task latencies.
        histogramBucketOverrides: { outdial_dial_to_answer: [1, 2, 5, 10, 15, 20, 30, 45, 60, 90] },
      },
    },
  };
}

/**
 * The runtime's exposition text, empty when this process has no runtime metrics. Outdial's own
 * metrics lose the runtime's `temporal_` prefix so that every Outdial metric starts `outdial_`.
 */
export async function runtimeMetricsText(): Promise<string> {
  if (!servedAt) return '';
  try {
    const response = await fetch(`http://${servedAt}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return (await response.text()).replaceAll('temporal_outdial_', 'outdial_');
  } catch {
    // The runtime starts its exporter with the first worker; before that there is nothing to add.
    return '';
  }
}
