import type { Worker } from '@temporalio/worker';
import { exitOnShutdownSignal } from '../infra/process/shutdown-signals';

/** What closing the worker's connections may take after its last task, before the process gives up. */
const CLOSE_MARGIN_SECONDS = 10;

/**
 * Runs the worker until SIGTERM or SIGINT, then stops it the way an orchestrator expects: no more
 * polling, in-flight activities finish within the worker's shutdownGraceTime (`graceSeconds`; after
 * it they are cancelled), then `close` and exit 0. A second signal, or no stop within the grace
 * time and a margin, exits 1. Rejects when the worker fails on its own.
 */
export function runUntilSignalled(
  worker: Worker,
  settings: { graceSeconds: number; close: () => Promise<void> },
): Promise<void> {
  const running = worker.run();
  exitOnShutdownSignal(
    async (signal) => {
      console.error(
        `worker: ${signal}: polling stopped, in-flight activities have ${settings.graceSeconds} s`,
      );
      worker.shutdown();
      await running;
      await settings.close();
    },
    { name: 'worker', timeoutMs: (settings.graceSeconds + CLOSE_MARGIN_SECONDS) * 1000 },
  );
  return running;
}
