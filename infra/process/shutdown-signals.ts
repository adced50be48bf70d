const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface ShutdownOptions {
  /** Names the process in its log lines. */
  name: string;
  /** Past this, counted from the first signal, the process gives up waiting and exits 1. */
  timeoutMs: number;
  log?: (line: string) => void;
}

/**
 * On the first SIGTERM or SIGINT runs `stop` and exits 0 once it resolves. Exits 1 when `stop`
 * rejects, when it outlasts `timeoutMs`, or on a second signal: an orchestrator that stops waiting
 * sends SIGKILL anyway, and an operator's second Ctrl-C means now.
 */
export function exitOnShutdownSignal(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  options: ShutdownOptions,
): void {
  const log = options.log ?? ((line: string) => console.error(line));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${options.name}: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    const timer = setTimeout(() => {
      log(`${options.name}: not stopped within ${options.timeoutMs} ms of ${signal}, exiting`);
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    stop(signal).then(
      () => {
        log(`${options.name}: stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        log(`${options.name}: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
