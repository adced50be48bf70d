import { Runtime } from '@temporalio/worker';

let installed = false;

/**
 * The Temporal runtime logging only errors, for tests, benchmarks and scripts whose output is a
 * result. Installs once per process: the runtime cannot be installed twice.
 */
export function installQuietRuntime(onError: (message: string) => void = (m) => console.error(m)): void {
  if (installed) return;
  const quiet = () => {};
  Runtime.install({
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: onError },
  });
  installed = true;
}
