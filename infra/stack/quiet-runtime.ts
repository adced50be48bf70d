import { Runtime } from '@temporalio/worker';
import { runtimeMetricsTelemetry } from '../metrics/runtime-metrics';

let installed = false;

/**
 * The Temporal runtime logging only errors, for tests, benchmarks and scripts whose output is a
 * result; with `metricsPort`, its Prometheus metrics served there. Installs once per process: the
 * runtime cannot be installed twice, so the first call decides.
 */
export function installQuietRuntime(
  onError: (message: string) => void = (m) => console.error(m),
  metricsPort?: number,
): void {
  if (installed) return;
  const quiet = () => {};
  Runtime.install({
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: onError },
    ...(metricsPort === undefined ? {} : { telemetryOptions: runtimeMetricsTelemetry(metricsPort) }),
  });
  installed = true;
}
