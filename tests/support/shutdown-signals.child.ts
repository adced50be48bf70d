import { exitOnShutdownSignal } from '../../infra/process/shutdown-signals';

/**
 * A process whose stop takes STOP_MS (never, when unset), with TIMEOUT_MS to do it in; prints
 * "ready" once its handlers are installed and "stop" when its stop starts.
 */
const stopMs = process.env.STOP_MS === undefined ? undefined : Number(process.env.STOP_MS);
exitOnShutdownSignal(
  () => {
    console.log('stop');
    return new Promise<void>((resolve, reject) => {
      if (stopMs === undefined) return;
      if (process.env.STOP_FAILS) setTimeout(() => reject(new Error('could not close')), stopMs);
      else setTimeout(resolve, stopMs);
    });
  },
  { name: 'child', timeoutMs: Number(process.env.TIMEOUT_MS ?? 10_000), log: (line) => console.log(line) },
);
setInterval(() => {}, 1_000);
console.log('ready');
