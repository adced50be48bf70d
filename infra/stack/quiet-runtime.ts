import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import { runtimeMetricsTelemetry } from '../metrics/runtime-metrics';

let installed = false;

/**
 * Installs the Temporal runtime unless this process has one: it cannot be installed twice, so the
 * first call decides. False when another call already had.
 */
export function installRuntimeOnce(options: RuntimeOptions): boolean {
  if (installed) return false;
  Runtime.install(options);
  installed = true;
  return true;
}

/**
 * The Temporal runtime logging only errors, for tests, benchmarks and scripts whose output is a
 * result; with `metricsPort`, its Prometheus metrics served there.
 */
export function installQuietRuntime(
  onError: (message: string) => void = (m) => console.error(m),
  metricsPort?: number,
): void {
  const quiet = () => {};
  installRuntimeOnce({
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: onError },
    ...(metricsPort === undefined ? {} : { telemetryOptions: runtimeMetricsTelemetry(metricsPort) }),
  });
}
